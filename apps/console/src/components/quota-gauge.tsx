import type { Quota } from '../api/types';
import { formatCount, formatPercent } from '../logic/format';
import { gaugeParts } from '../logic/quota-gauge';

/** One quota as a bar: used, reserved (when the API gives it) and remaining, with the figures in words. */
export function QuotaGauge({ quota }: { quota: Quota }) {
  const parts = gaugeParts(quota);
  const reserved = quota.reserved !== undefined;
  const summary =
    `${formatCount(quota.used)} of ${formatCount(quota.limit)} ${quota.unit} used (${formatPercent(parts.used)})` +
    (reserved ? `, ${formatCount(quota.reserved ?? 0)} reserved` : '') +
    `, ${formatCount(quota.remaining)} remaining`;
  return (
    <div class="gauge">
      <div class="gauge-head">
        <strong>{quota.name}</strong>
        <span class="muted">
          {quota.endpoints.join(', ')} · {quota.window}
        </span>
        {quota.exhausted && <span class="badge badge-bad">exhausted</span>}
      </div>
      <div
        class="gauge-bar"
        role="meter"
        aria-label={`Quota ${quota.name}`}
        aria-valuemin={0}
        aria-valuemax={quota.limit}
        aria-valuenow={Math.min(quota.used, quota.limit)}
        aria-valuetext={summary}
      >
        <span class="gauge-used" style={{ width: cssPercent(parts.used) }} />
        {reserved && <span class="gauge-reserved" style={{ width: cssPercent(parts.reserved) }} />}
      </div>
      <p class="gauge-legend">
        <span class="key key-used" aria-hidden="true" /> used {formatCount(quota.used)}
        {reserved && (
          <>
            {' '}
            <span class="key key-reserved" aria-hidden="true" /> reserved {formatCount(quota.reserved ?? 0)}
          </>
        )}{' '}
        <span class="key key-remaining" aria-hidden="true" /> remaining {formatCount(quota.remaining)} of{' '}
        {formatCount(quota.limit)} {quota.unit}
      </p>
    </div>
  );
}

function cssPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}
