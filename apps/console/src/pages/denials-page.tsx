import { useState } from 'preact/hooks';
import { DENY_REASONS } from '../api/types';
import { useConsole } from '../console-context';
import { usePolling } from '../hooks';
import { LoadState } from '../components/load-state';
import { OrgLink } from '../components/org-link';
import { RangePicker } from '../components/range-picker';
import { TableRegion } from '../components/table-region';
import { reasonColumns } from '../logic/denials';
import { formatCount, formatDateTime, humanize } from '../logic/format';
import {
  DENIAL_PRESETS,
  TOP_DENIALS_MAX_RANGE_MS,
  resolveRange,
  toApiRange,
  type RangeChoice,
} from '../logic/time-range';

const LIMITS = [10, 25, 50, 100];

/** Which organizations keep hitting their limits, and why: those to invite to apply for full access. */
export function DenialsPage() {
  const { api } = useConsole();
  const [choice, setChoice] = useState<RangeChoice>({ kind: 'preset', id: '1h' });
  const [reason, setReason] = useState('');
  const [limit, setLimit] = useState(10);
  const checked = resolveRange(choice, DENIAL_PRESETS, TOP_DENIALS_MAX_RANGE_MS, new Date());
  const denials = usePolling(async () => {
    const resolved = resolveRange(choice, DENIAL_PRESETS, TOP_DENIALS_MAX_RANGE_MS, new Date());
    if ('problem' in resolved) throw new Error(resolved.problem);
    return api.denials({ ...toApiRange(resolved.range), ...(reason && { reason }), limit });
  }, [api, JSON.stringify(choice), reason, limit]);

  return (
    <>
      <h1>Denials</h1>
      <p class="lead">
        Organizations with the most denied calls, most first, and why they were denied. A minute's denials
        appear once it is over.
      </p>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <RangePicker
          label="Range"
          presets={DENIAL_PRESETS}
          value={choice}
          onChange={setChoice}
          problem={'problem' in checked ? checked.problem : undefined}
        />
        <div class="field">
          <label for="denial-reason">Reason</label>
          <select id="denial-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
            <option value="">Any reason</option>
            {DENY_REASONS.map((r) => (
              <option key={r} value={r}>
                {humanize(r)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="denial-limit">How many</label>
          <select id="denial-limit" value={limit} onChange={(e) => setLimit(Number(e.currentTarget.value))}>
            {LIMITS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
      </form>
      <LoadState polled={denials}>
        {(answer) => {
          if (answer.organizations.length === 0) return <p class="empty">No denials in this range.</p>;
          // Filtered to one reason, the total is that reason's count: no column per reason.
          const reasons = answer.reason === undefined ? reasonColumns(answer.organizations) : [];
          const largest = Math.max(1, ...answer.organizations.map((o) => o.total));
          return (
            <TableRegion label="Organizations by denials">
              <table class="denials-table">
                <caption>
                  Denials{answer.reason && ` for ${humanize(answer.reason)}`} from{' '}
                  {formatDateTime(answer.from)} to {formatDateTime(answer.to)}
                </caption>
                <thead>
                  <tr>
                    <th scope="col" class="num">
                      #
                    </th>
                    <th scope="col">Organization</th>
                    <th scope="col" class="num">
                      Denials
                    </th>
                    {reasons.map((r) => (
                      <th key={r} scope="col" class="num">
                        {humanize(r)}
                      </th>
                    ))}
                    <th scope="col" class="bar-col">
                      <span class="visually-hidden">Share of the largest</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {answer.organizations.map((org, i) => (
                    <tr key={org.orgId}>
                      <td class="num">{i + 1}</td>
                      <th scope="row">
                        <OrgLink orgId={org.orgId} />
                      </th>
                      <td class="num">{formatCount(org.total)}</td>
                      {reasons.map((r) => (
                        <td key={r} class="num">
                          {org.byReason[r] === undefined ? '–' : formatCount(org.byReason[r])}
                        </td>
                      ))}
                      <td class="bar-col" aria-hidden="true">
                        <span
                          class="bar bar-bad"
                          style={{ width: `${((org.total / largest) * 100).toFixed(1)}%` }}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
          );
        }}
      </LoadState>
    </>
  );
}
