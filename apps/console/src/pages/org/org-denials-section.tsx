import { useState } from 'preact/hooks';
import { useConsole } from '../../console-context';
import { usePolling } from '../../hooks';
import { RangePicker } from '../../components/range-picker';
import { TableRegion } from '../../components/table-region';
import { LoadState } from '../../components/load-state';
import { pivotByMinute } from '../../logic/denials';
import { formatBucket, formatCount, humanize } from '../../logic/format';
import {
  ORG_DENIAL_PRESETS,
  ORG_DENIALS_MAX_RANGE_MS,
  resolveRange,
  toApiRange,
  type RangeChoice,
} from '../../logic/time-range';

const cell = (count: number | undefined) => (count === undefined ? '–' : formatCount(count));

/**
 * The organization's recent denials: a row per minute, a column per reason. The decision app publishes a
 * minute's denials once the minute is over, so the minute in progress shows up a little later.
 */
export function OrgDenialsSection({ orgId }: { orgId: string }) {
  const { api } = useConsole();
  const [choice, setChoice] = useState<RangeChoice>({ kind: 'preset', id: '1h' });
  const checked = resolveRange(choice, ORG_DENIAL_PRESETS, ORG_DENIALS_MAX_RANGE_MS, new Date());
  const denials = usePolling(async () => {
    const resolved = resolveRange(choice, ORG_DENIAL_PRESETS, ORG_DENIALS_MAX_RANGE_MS, new Date());
    if ('problem' in resolved) throw new Error(resolved.problem);
    return api.orgDenials(orgId, toApiRange(resolved.range));
  }, [api, orgId, JSON.stringify(choice)]);

  return (
    <section aria-labelledby="org-denials-heading" class="panel">
      <h2 id="org-denials-heading">Recent denials</h2>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <RangePicker
          label="Range"
          presets={ORG_DENIAL_PRESETS}
          value={choice}
          onChange={setChoice}
          problem={'problem' in checked ? checked.problem : undefined}
        />
      </form>
      <LoadState polled={denials}>
        {(data) => {
          if (data.series.length === 0) return <p class="empty">No denials in this range.</p>;
          const { reasons, minutes, totals } = pivotByMinute(data.series);
          return (
            <TableRegion label="Denials per minute">
              <table>
                <caption>
                  {formatCount(totals.total)} {totals.total === 1 ? 'denial' : 'denials'} in this range:{' '}
                  {reasons.map((r) => `${humanize(r)} ${formatCount(totals.byReason[r])}`).join(', ')}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Minute (UTC)</th>
                    <th scope="col" class="num">
                      Denials
                    </th>
                    {reasons.map((r) => (
                      <th key={r} scope="col" class="num">
                        {humanize(r)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {minutes.map((row) => (
                    <tr key={row.minute}>
                      <th scope="row">
                        <time dateTime={row.minute}>{formatBucket(row.minute, 'minute')}</time>
                      </th>
                      <td class="num">{formatCount(row.total)}</td>
                      {reasons.map((r) => (
                        <td key={r} class="num">
                          {cell(row.byReason[r])}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
          );
        }}
      </LoadState>
    </section>
  );
}
