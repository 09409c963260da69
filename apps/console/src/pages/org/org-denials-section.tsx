import { useState } from 'preact/hooks';
import { useConsole } from '../../console-context';
import { usePolling } from '../../hooks';
import { RangePicker } from '../../components/range-picker';
import { TableRegion } from '../../components/table-region';
import { LoadState } from '../../components/load-state';
import { formatBucket, formatCount, humanize } from '../../logic/format';
import {
  DENIAL_PRESETS,
  MAX_RANGE_MS,
  resolveRange,
  toApiRange,
  type RangeChoice,
} from '../../logic/time-range';

/** The organization's recent denials per minute and reason, once the tier app serves them. */
export function OrgDenialsSection({ orgId }: { orgId: string }) {
  const { api } = useConsole();
  const [choice, setChoice] = useState<RangeChoice>({ kind: 'preset', id: '1h' });
  const checked = resolveRange(choice, DENIAL_PRESETS, MAX_RANGE_MS.minute, new Date());
  const denials = usePolling(async () => {
    const resolved = resolveRange(choice, DENIAL_PRESETS, MAX_RANGE_MS.minute, new Date());
    if ('problem' in resolved) throw new Error(resolved.problem);
    return api.orgDenials(orgId, toApiRange(resolved.range));
  }, [api, orgId, JSON.stringify(choice)]);

  return (
    <section aria-labelledby="org-denials-heading" class="panel">
      <h2 id="org-denials-heading">Recent denials</h2>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <RangePicker
          label="Range"
          presets={DENIAL_PRESETS}
          value={choice}
          onChange={setChoice}
          problem={'problem' in checked ? checked.problem : undefined}
        />
      </form>
      <LoadState polled={denials}>
        {(data) =>
          data === null ? (
            <p class="empty">Denials are not available from this tier app yet.</p>
          ) : data.series.length === 0 ? (
            <p class="empty">No denials in this range.</p>
          ) : (
            <TableRegion label="Denials per minute">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Minute (UTC)</th>
                    <th scope="col">Reason</th>
                    <th scope="col" class="num">
                      Denials
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {[...data.series]
                    .sort((a, b) => b.minute.localeCompare(a.minute) || a.reason.localeCompare(b.reason))
                    .map((row) => (
                      <tr key={`${row.minute}|${row.reason}`}>
                        <td>
                          <time dateTime={row.minute}>{formatBucket(row.minute, 'minute')}</time>
                        </td>
                        <td>{humanize(row.reason)}</td>
                        <td class="num">{formatCount(row.denials)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </TableRegion>
          )
        }
      </LoadState>
    </section>
  );
}
