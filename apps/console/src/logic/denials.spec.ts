import fc from 'fast-check';
import { pivotByMinute, reasonColumns } from './denials';

describe('reasonColumns', () => {
  it("lists the reasons present in the decision API's order, then new ones by name", () => {
    expect(
      reasonColumns([
        { byReason: { rate_limited: 20, model_not_allowed: 3 } },
        { byReason: { zz_new_reason: 1, invalid_key: 4, aa_new_reason: 2 } },
      ]),
    ).toEqual(['invalid_key', 'model_not_allowed', 'rate_limited', 'aa_new_reason', 'zz_new_reason']);
    expect(reasonColumns([])).toEqual([]);
  });
});

describe('pivotByMinute', () => {
  it('gives a row per minute, newest first, a column per reason, and the totals', () => {
    const pivot = pivotByMinute([
      { minute: '2026-03-01T10:00:00.000Z', reason: 'model_not_allowed', count: 3 },
      { minute: '2026-03-01T10:00:00.000Z', reason: 'rate_limited', count: 20 },
      { minute: '2026-03-01T10:02:00.000Z', reason: 'rate_limited', count: 5 },
    ]);
    expect(pivot).toEqual({
      reasons: ['model_not_allowed', 'rate_limited'],
      minutes: [
        { minute: '2026-03-01T10:02:00.000Z', total: 5, byReason: { rate_limited: 5 } },
        {
          minute: '2026-03-01T10:00:00.000Z',
          total: 23,
          byReason: { model_not_allowed: 3, rate_limited: 20 },
        },
      ],
      totals: { total: 28, byReason: { model_not_allowed: 3, rate_limited: 25 } },
    });
  });

  it('loses no denial: every total is the sum of what it holds', () => {
    const point = fc.record({
      minute: fc.integer({ min: 0, max: 30 }).map((m) => new Date(Date.UTC(2026, 2, 1, 10, m)).toISOString()),
      reason: fc.constantFrom('rate_limited', 'quota_exhausted', 'invalid_key', 'some_new_reason'),
      count: fc.integer({ min: 1, max: 1_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(point, { maxLength: 60 }), (series) => {
        const { reasons, minutes, totals } = pivotByMinute(series);
        const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
        expect(totals.total).toBe(sum(series.map((p) => p.count)));
        expect(sum(minutes.map((m) => m.total))).toBe(totals.total);
        for (const row of minutes) expect(sum(Object.values(row.byReason))).toBe(row.total);
        expect(new Set(reasons)).toEqual(new Set(series.map((p) => p.reason)));
        expect(minutes.map((m) => m.minute)).toEqual(
          [...new Set(series.map((p) => p.minute))].sort().reverse(),
        );
      }),
    );
  });
});
