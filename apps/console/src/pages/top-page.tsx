import { useState } from 'preact/hooks';
import type { TopMetric } from '../api/types';
import { describeError } from '../api/api-error';
import type { TopQuery } from '../api/api-client';
import { useConsole } from '../console-context';
import { usePolling } from '../hooks';
import { LoadState } from '../components/load-state';
import { OrgLink } from '../components/org-link';
import { RangePicker } from '../components/range-picker';
import { TableRegion } from '../components/table-region';
import { csvFileName } from '../logic/csv-download';
import { formatCount, formatDateTime } from '../logic/format';
import {
  TOP_MAX_RANGE_MS,
  TOP_PRESETS,
  resolveRange,
  toApiRange,
  type RangeChoice,
} from '../logic/time-range';

const LIMITS = [10, 25, 50, 100];

/** The organizations with the most calls or characters over a range, with a CSV download. */
export function TopPage() {
  const { api } = useConsole();
  const [choice, setChoice] = useState<RangeChoice>({ kind: 'preset', id: '24h' });
  const [metric, setMetric] = useState<TopMetric>('calls');
  const [limit, setLimit] = useState(10);
  const [downloadError, setDownloadError] = useState<string>();
  const checked = resolveRange(choice, TOP_PRESETS, TOP_MAX_RANGE_MS, new Date());

  const query = (): TopQuery => {
    const resolved = resolveRange(choice, TOP_PRESETS, TOP_MAX_RANGE_MS, new Date());
    if ('problem' in resolved) throw new Error(resolved.problem);
    return { ...toApiRange(resolved.range), metric, limit };
  };
  const top = usePolling(() => api.top(query()), [api, JSON.stringify(choice), metric, limit]);

  const download = async () => {
    try {
      const q = query();
      const csv = await api.topCsv(q);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = csvFileName(`top-${q.metric}`, q.from, q.to);
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setDownloadError(undefined);
    } catch (error) {
      setDownloadError(describeError(error));
    }
  };

  return (
    <>
      <h1>Top organizations</h1>
      <p class="lead">The organizations with the most calls or characters in a range, most first.</p>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <RangePicker
          label="Range"
          presets={TOP_PRESETS}
          value={choice}
          onChange={setChoice}
          problem={'problem' in checked ? checked.problem : undefined}
        />
        <div class="field">
          <label for="top-metric">By</label>
          <select
            id="top-metric"
            value={metric}
            onChange={(e) => setMetric(e.currentTarget.value as TopMetric)}
          >
            <option value="calls">Calls</option>
            <option value="chars">Characters (input + output)</option>
          </select>
        </div>
        <div class="field">
          <label for="top-limit">How many</label>
          <select id="top-limit" value={limit} onChange={(e) => setLimit(Number(e.currentTarget.value))}>
            {LIMITS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div class="field field-button">
          <button type="button" onClick={() => void download()}>
            Download CSV
          </button>
        </div>
      </form>
      {downloadError && (
        <p class="error" role="alert">
          {downloadError}
        </p>
      )}
      <LoadState polled={top}>
        {(data) => {
          const largest = Math.max(
            1,
            ...data.organizations.map((o) => (data.metric === 'calls' ? o.calls : o.chars)),
          );
          return data.organizations.length === 0 ? (
            <p class="empty">No usage in this range.</p>
          ) : (
            <TableRegion label="Top organizations">
              <table class="top-table">
                <caption>
                  By {data.metric === 'calls' ? 'calls' : 'characters'}, from {formatDateTime(data.from)} to{' '}
                  {formatDateTime(data.to)}
                </caption>
                <thead>
                  <tr>
                    <th scope="col" class="num">
                      #
                    </th>
                    <th scope="col">Organization</th>
                    <th scope="col" class="num">
                      Calls
                    </th>
                    <th scope="col" class="num">
                      Input chars
                    </th>
                    <th scope="col" class="num">
                      Output chars
                    </th>
                    <th scope="col" class="num">
                      Characters
                    </th>
                    <th scope="col" class="bar-col">
                      <span class="visually-hidden">Share of the largest</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.organizations.map((org, i) => (
                    <tr key={org.orgId}>
                      <td class="num">{i + 1}</td>
                      <th scope="row">
                        <OrgLink orgId={org.orgId} />
                      </th>
                      <td class="num">{formatCount(org.calls)}</td>
                      <td class="num">{formatCount(org.inputChars)}</td>
                      <td class="num">{formatCount(org.outputChars)}</td>
                      <td class="num">{formatCount(org.chars)}</td>
                      <td class="bar-col" aria-hidden="true">
                        <span
                          class="bar"
                          style={{
                            width: `${(((data.metric === 'calls' ? org.calls : org.chars) / largest) * 100).toFixed(1)}%`,
                          }}
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
