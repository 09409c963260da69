import fc from 'fast-check';
import { LimitOverride, LimitOverrideEntry } from '../limits/limit-override';
import { AccessError } from './access.errors';
import { MAX_OVERRIDE_LIMITS, validLimitOverride } from './limit-override.rules';

const rules = { models: ['small', 'medium', 'large'] };

/** Windows with what they span, written independently of parseWindow; undefined: not a window. */
const WINDOWS: Record<string, string | undefined> = {
  PT1S: '1000',
  PT1M: '60000',
  PT60S: '60000',
  PT1H: '3600000',
  PT60M: '3600000',
  P1D: '86400000',
  PT24H: '86400000',
  P31D: '2678400000',
  P1M: 'month',
  lifetime: 'lifetime',
  P32D: undefined,
  P2M: undefined,
  PT0S: undefined,
  '1M': undefined,
  month: undefined,
};

const entry: fc.Arbitrary<LimitOverrideEntry> = fc.record(
  {
    unit: fc.constantFrom('calls', 'chars', 'tokens') as fc.Arbitrary<'calls' | 'chars'>,
    window: fc.constantFrom(...Object.keys(WINDOWS)),
    limit: fc.oneof(fc.constant(null), fc.nat(), fc.constant(-1), fc.constant(0.5)),
    model: fc.constantFrom('small', 'large', 'huge'),
  },
  { requiredKeys: ['unit', 'window', 'limit'] },
);

const validEntry = (e: LimitOverrideEntry) =>
  (e.unit === 'calls' || e.unit === 'chars') &&
  WINDOWS[e.window] !== undefined &&
  (e.limit === null || (Number.isInteger(e.limit) && e.limit >= 0)) &&
  (e.model === undefined || rules.models.includes(e.model));

describe('validLimitOverride', () => {
  it('accepts exactly the overrides whose entries are all valid and distinct, and is idempotent', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), (limits) => {
        const keys = limits.map((e) => `${e.unit}|${WINDOWS[e.window]}|${e.model ?? ''}`);
        const acceptable =
          limits.length > 0 && limits.every(validEntry) && new Set(keys).size === keys.length;
        let stored: LimitOverride | undefined;
        try {
          stored = validLimitOverride({ limits }, rules);
        } catch (error) {
          expect(error).toBeInstanceOf(AccessError);
          expect((error as AccessError).field).toMatch(/^limits/);
          expect((error as AccessError).kind).toBe('invalid-input');
        }
        expect(stored !== undefined).toBe(acceptable);
        if (stored) {
          expect(stored.limits).toEqual(limits.map((e) => ({ ...e })));
          expect(validLimitOverride(stored, rules)).toEqual(stored);
        }
      }),
    );
  });

  it('drops absent fields and an empty list from what it stores', () => {
    expect(
      validLimitOverride(
        {
          perMinute: undefined,
          perDay: null,
          limits: [{ unit: 'calls', window: 'PT1H', limit: 5, model: undefined }],
        },
        rules,
      ),
    ).toEqual({ perDay: null, limits: [{ unit: 'calls', window: 'PT1H', limit: 5 }] });
    expect(validLimitOverride({ perMinute: 3, limits: [] }, rules)).toEqual({ perMinute: 3 });
  });

  it('treats perMinute and perDay as the calls windows PT1M and P1D', () => {
    expect(() =>
      validLimitOverride({ perDay: 10, limits: [{ unit: 'calls', window: 'PT24H', limit: 5 }] }, rules),
    ).toThrow(/limits\[0\] has the same unit, window and model as perDay/);
    expect(
      validLimitOverride({ perDay: 10, limits: [{ unit: 'chars', window: 'P1D', limit: 5 }] }, rules),
    ).toEqual({ perDay: 10, limits: [{ unit: 'chars', window: 'P1D', limit: 5 }] });
  });

  it(`holds at most ${MAX_OVERRIDE_LIMITS} entries`, () => {
    const many = Array.from({ length: MAX_OVERRIDE_LIMITS + 1 }, (_, i) => ({
      unit: 'calls' as const,
      window: `PT${i + 1}S`,
      limit: 1,
    }));
    expect(() => validLimitOverride({ limits: many }, rules)).toThrow(
      expect.objectContaining({ code: 'ACCESS.INVALID_LIMIT', field: 'limits' }) as Error,
    );
    expect(validLimitOverride({ limits: many.slice(1) }, rules).limits).toHaveLength(MAX_OVERRIDE_LIMITS);
  });
});
