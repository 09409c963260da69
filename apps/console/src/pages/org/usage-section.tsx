import { useMemo, useState } from 'preact/hooks';
import type { Granularity, GroupBy } from '../../api/types';
import { useConsole } from '../../console-context';
import { usePolling } from '../../hooks';
import { LoadState } from '../../components/load-state';
import { RangePicker } from '../../components/range-picker';
import { TableRegion } from '../../components/table-region';
import { UsageChart } from '../../components/usage-chart';
import { formatBucket, formatCount, formatDateTime } from '../../logic/format';
import {
  MAX_RANGE_MS,
  USAGE_PRESETS,
  allowedGranularities,
  bucketStarts,
  fitGranularity,
  resolveRange,
  toApiRange,
  type RangeChoice,
} from '../../logic/time-range';
import { usageChartData, usageRows, type ChartMetric } from '../../logic/usage-chart';

const GROUP_LABELS: Record<GroupBy | 'none', string> = {
  none: 'Nothing (all usage)',
  endpoint: 'Endpoint',
  user: 'User',
  model: 'Model',
};

/** The organization's usage over time: a chart and, behind it, the figures as a table. */
export function UsageSection({ orgId }: { orgId: string }) {
  const { api } = useConsole();
  const [choice, setChoice] = useState<RangeChoice>({ kind: 'preset', id: '24h' });
  const [chosenGranularity, setGranularity] = useState<Granularity>('hour');
  const [groupBy, setGroupBy] = useState<GroupBy | 'none'>('endpoint');
  const [metric, setMetric] = useState<ChartMetric>('calls');

  // The span decides which granularities the API allows; a preset's span does not depend on the time.
  const checked = resolveRange(choice, USAGE_PRESETS, MAX_RANGE_MS.day, new Date());
  const span = 'range' in checked ? checked.range.to.getTime() - checked.range.from.getTime() : 0;
  const granularity = fitGranularity(chosenGranularity, span);
  const group = groupBy === 'none' ? undefined : groupBy;
  const problem = 'problem' in checked ? checked.problem : undefined;

  const usage = usePolling(async () => {
    const resolved = resolveRange(choice, USAGE_PRESETS, MAX_RANGE_MS.day, new Date());
    if ('problem' in resolved) throw new Error(resolved.problem);
    const { range } = resolved;
    const answer = await api.usage(orgId, {
      ...toApiRange(range),
      granularity,
      ...(group && { groupBy: group }),
    });
    return { range, granularity, group, points: answer.series };
  }, [api, orgId, JSON.stringify(choice), granularity, group]);

  return (
    <section aria-labelledby="usage-heading" class="panel">
      <h2 id="usage-heading">Usage</h2>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <RangePicker
          label="Range"
          presets={USAGE_PRESETS}
          value={choice}
          onChange={setChoice}
          problem={problem}
        />
        <div class="field">
          <label for="usage-granularity">Per</label>
          <select
            id="usage-granularity"
            value={granularity}
            onChange={(e) => setGranularity(e.currentTarget.value as Granularity)}
          >
            {allowedGranularities(span).map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="usage-group">Split by</label>
          <select
            id="usage-group"
            value={groupBy}
            onChange={(e) => setGroupBy(e.currentTarget.value as GroupBy | 'none')}
          >
            {(Object.keys(GROUP_LABELS) as (GroupBy | 'none')[]).map((g) => (
              <option key={g} value={g}>
                {GROUP_LABELS[g]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="usage-metric">Show</label>
          <select
            id="usage-metric"
            value={metric}
            onChange={(e) => setMetric(e.currentTarget.value as ChartMetric)}
          >
            <option value="calls">Calls</option>
            <option value="chars">Characters (input + output)</option>
          </select>
        </div>
      </form>
      <LoadState polled={usage}>{(data) => <UsageFigures {...data} metric={metric} />}</LoadState>
    </section>
  );
}

interface FiguresProps {
  range: { from: Date; to: Date };
  granularity: Granularity;
  group: GroupBy | undefined;
  points: Parameters<typeof usageRows>[0];
  metric: ChartMetric;
}

function UsageFigures({ range, granularity, group, points, metric }: FiguresProps) {
  const chart = useMemo(
    () => usageChartData(points, bucketStarts(range, granularity), group, metric),
    [points, range, granularity, group, metric],
  );
  const rows = useMemo(() => usageRows(points, group), [points, group]);
  const what = metric === 'calls' ? 'Calls' : 'Characters';
  const split = group ? ` by ${group}` : '';
  const label =
    `${what} per ${granularity}${split}, ${formatDateTime(range.from)} to ${formatDateTime(range.to)}: ` +
    `${formatCount(chart.total)} in all` +
    (chart.series.length > 0
      ? `; ${chart.series.map((s) => `${s.label} ${formatCount(s.total)}`).join(', ')}`
      : '');

  return (
    <>
      {rows.length === 0 ? (
        <p class="empty">No usage in this range.</p>
      ) : (
        <UsageChart data={chart} granularity={granularity} label={label} />
      )}
      <details class="figures">
        <summary>The figures as a table ({rows.length} rows)</summary>
        <TableRegion label="Usage figures">
          <table class="usage-table" data-from={range.from.toISOString()} data-to={range.to.toISOString()}>
            <caption>
              Usage per {granularity}
              {split}, from <time dateTime={range.from.toISOString()}>{formatDateTime(range.from)}</time> to{' '}
              <time dateTime={range.to.toISOString()}>{formatDateTime(range.to)}</time> (buckets without usage
              are left out)
            </caption>
            <thead>
              <tr>
                <th scope="col">{granularity === 'day' ? 'Day (UTC)' : 'Start (UTC)'}</th>
                {group && <th scope="col">{group}</th>}
                <th scope="col" class="num">
                  Calls
                </th>
                <th scope="col" class="num">
                  Input chars
                </th>
                <th scope="col" class="num">
                  Output chars
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.bucket}|${row.group ?? ''}`}>
                  <td>
                    <time dateTime={row.bucket}>{formatBucket(row.bucket, granularity)}</time>
                  </td>
                  {group && <td>{row.group}</td>}
                  <td class="num">{formatCount(row.calls)}</td>
                  <td class="num">{formatCount(row.inputChars)}</td>
                  <td class="num">{formatCount(row.outputChars)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </details>
    </>
  );
}
