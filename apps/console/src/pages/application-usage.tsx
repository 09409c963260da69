import { useConsole } from '../console-context';
import { usePolling } from '../hooks';
import { QuotaGauge } from '../components/quota-gauge';
import { formatCount } from '../logic/format';
import { toApiRange } from '../logic/time-range';

const YEAR_MS = 365 * 86_400_000;

/** Slower than the queue itself: a long queue asks for each organization's figures. */
const USAGE_POLL_MS = 30_000;

/** What the organization has used so far: its quotas, and its calls and characters over the last year. */
export function ApplicationUsage({ orgId }: { orgId: string }) {
  const { api } = useConsole();
  const usage = usePolling(
    async () => {
      const now = new Date();
      const range = toApiRange({ from: new Date(now.getTime() - YEAR_MS), to: now });
      const [quota, series] = await Promise.all([
        api.quota(orgId),
        api.usage(orgId, { ...range, granularity: 'day' }),
      ]);
      const totals = series.series.reduce(
        (sum, p) => ({ calls: sum.calls + p.calls, chars: sum.chars + p.inputChars + p.outputChars }),
        { calls: 0, chars: 0 },
      );
      return { quota, totals };
    },
    [api, orgId],
    USAGE_POLL_MS,
  );

  const { data } = usage;
  if (!data) return null;
  return (
    <section class="usage-so-far" aria-label={`Usage of ${orgId} so far`}>
      <h3>Usage so far</h3>
      <p>
        {formatCount(data.totals.calls)} calls and {formatCount(data.totals.chars)} characters in the last 365
        days; tier <strong>{data.quota.tier}</strong>, {data.quota.status}.
      </p>
      {data.quota.quotas.map((quota) => (
        <QuotaGauge key={quota.name} quota={quota} />
      ))}
    </section>
  );
}
