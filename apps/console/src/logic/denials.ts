import { DENY_REASONS, type DenialPoint } from '../api/types';

/**
 * The reasons to show as columns: those the rows have, in the order the decision API judges them (who is
 * asking, what they may call, then how much is left), then any reason it added since, by name. A fixed
 * order rather than by count, so that columns stay put while the figures refresh.
 */
export function reasonColumns(rows: readonly { byReason: Record<string, number> }[]): string[] {
  const present = new Set(rows.flatMap((row) => Object.keys(row.byReason)));
  const known: readonly string[] = DENY_REASONS;
  return [
    ...known.filter((reason) => present.has(reason)),
    ...[...present].filter((reason) => !known.includes(reason)).sort(),
  ];
}

export interface DenialMinute {
  minute: string;
  total: number;
  byReason: Record<string, number>;
}

export interface DenialPivot {
  /** The reasons present, as columns (see reasonColumns). */
  reasons: string[];
  /** One row per minute with denials, newest first. */
  minutes: DenialMinute[];
  /** The range's sum, in all and per reason. */
  totals: { total: number; byReason: Record<string, number> };
}

/** An organization's series (a row per minute and reason) as a row per minute, a column per reason. */
export function pivotByMinute(series: readonly DenialPoint[]): DenialPivot {
  const byMinute = new Map<string, DenialMinute>();
  const totals = { total: 0, byReason: {} as Record<string, number> };
  for (const { minute, reason, count } of series) {
    let row = byMinute.get(minute);
    if (!row) byMinute.set(minute, (row = { minute, total: 0, byReason: {} }));
    row.byReason[reason] = (row.byReason[reason] ?? 0) + count;
    row.total += count;
    totals.byReason[reason] = (totals.byReason[reason] ?? 0) + count;
    totals.total += count;
  }
  const minutes = [...byMinute.values()].sort((a, b) => b.minute.localeCompare(a.minute));
  return { reasons: reasonColumns(minutes), minutes, totals };
}
