import { useState } from 'preact/hooks';
import { DENY_REASONS } from '../api/types';
import { useConsole } from '../console-context';
import { usePolling } from '../hooks';
import { LoadState } from '../components/load-state';
import { OrgLink } from '../components/org-link';
import { RangePicker } from '../components/range-picker';
import { TableRegion } from '../components/table-region';
import { formatCount, formatDateTime, humanize } from '../logic/format';
import {
  DENIAL_PRESETS,
  MAX_RANGE_MS,
  resolveRange,
  toApiRange,
  type RangeChoice,
} from '../logic/time-range';

/** Which organizations keep hitting their limits, and why: those to invite to apply for full access. */
export function DenialsPage() {
  const { api } = useConsole();
  const [choice, setChoice] = useState<RangeChoice>({ kind: 'preset', id: '1h' });
  const [reason, setReason] = useState('');
  const checked = resolveRange(choice, DENIAL_PRESETS, MAX_RANGE_MS.minute, new Date());
  const denials = usePolling(async () => {
    const resolved = resolveRange(choice, DENIAL_PRESETS, MAX_RANGE_MS.minute, new Date());
    if ('problem' in resolved) throw new Error(resolved.problem);
    const range = toApiRange(resolved.range);
    return { range, answer: await api.denials({ ...range, ...(reason && { reason }) }) };
  }, [api, JSON.stringify(choice), reason]);

  return (
    <>
      <h1>Denials</h1>
      <p class="lead">Organizations with the most denied calls, most first.</p>
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
      </form>
      <LoadState polled={denials}>
        {({ range, answer }) =>
          answer === null ? (
            <p class="empty">Denials are not available from this tier app yet.</p>
          ) : answer.organizations.length === 0 ? (
            <p class="empty">No denials in this range.</p>
          ) : (
            <TableRegion label="Organizations by denials">
              <table class="denials-table">
                <caption>
                  Denials{reason && ` for ${humanize(reason)}`} from {formatDateTime(range.from)} to{' '}
                  {formatDateTime(range.to)}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Organization</th>
                    <th scope="col" class="num">
                      Denials
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {answer.organizations.map((org) => (
                    <tr key={org.orgId}>
                      <th scope="row">
                        <OrgLink orgId={org.orgId} />
                      </th>
                      <td class="num">{formatCount(org.denials)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
          )
        }
      </LoadState>
    </>
  );
}
