import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { RecordUsageRequest } from './record-usage.request';
import { isPlainlyValidUsageBatch } from './usage-batch.fast-check';

const now = Date.now();
const iso = (offsetMs: number) => new Date(now + offsetMs).toISOString();

function dtoAccepts(body: unknown): boolean {
  const instance = plainToInstance(RecordUsageRequest, body);
  const errors = validateSync(instance as object, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  return errors.length === 0;
}

const valid = {
  id: 'call-1',
  orgId: 'acme_1-x',
  userId: 'alice',
  endpoint: 'generate',
  model: 'small',
  inputChars: 10,
  outputChars: 0,
  timestamp: iso(0),
};

// Values each field may take in the generated cases: valid ones, boundaries and the ways clients get it wrong.
const pool: Record<string, unknown[]> = {
  id: [
    'x',
    'x'.repeat(128),
    'x'.repeat(129),
    '',
    7,
    null,
    undefined,
    '😀'.repeat(64),
    '😀'.repeat(65),
    "'; DROP TABLE x;--",
    'a\u0000b',
    '\ud800',
    ' ',
    '\u200fid',
  ],
  orgId: ['a', 'a'.repeat(64), 'a'.repeat(65), 'a b', 'ü', '', 1, null, undefined, '../etc'],
  userId: ['u', 'u'.repeat(65), '', 'a b', null, undefined, 3],
  keyId: ['key_1', 'k'.repeat(65), '', 'k.1', 'k\u0000', null, undefined],
  endpoint: ['generate', 'teleport', '', 'e'.repeat(65), 5, null, undefined],
  model: [
    '',
    ' ',
    'small ',
    '\t',
    'm'.repeat(64),
    'm'.repeat(65),
    '🦙',
    '\udc00',
    '\u202esmall',
    0,
    null,
    undefined,
  ],
  inputChars: [0, 1_000_000_000, 1_000_000_001, -1, 1.5, '5', NaN, Infinity, null, undefined],
  outputChars: [0, 42, -0, 2 ** 53, '0', null, undefined],
  timestamp: [
    iso(0),
    iso(4 * 60_000),
    iso(6 * 60_000),
    iso(-6 * 86_400_000),
    iso(-8 * 86_400_000),
    '2026-11-28',
    '2026-11-28T10:00:00',
    '2026-11-28T10:00:00+01:00',
    'yesterday',
    '2026-02-30T10:00:00Z',
    '2026-11-28T24:00:00Z',
    0,
    null,
    undefined,
  ],
};

/** Deterministic, so a failure names a case that can be replayed. */
function* cases(n: number): Generator<Record<string, unknown>> {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const fields = Object.keys(pool);
  for (let i = 0; i < n; i++) {
    const event: Record<string, unknown> = { ...valid };
    const changes = 1 + Math.floor(next() * 3);
    for (let c = 0; c < changes; c++) {
      const field = fields[Math.floor(next() * fields.length)];
      const value = pool[field][Math.floor(next() * pool[field].length)];
      if (value === undefined) delete event[field];
      else event[field] = value;
    }
    if (next() < 0.05) event.extra = true;
    yield event;
  }
}

describe('isPlainlyValidUsageBatch', () => {
  it('accepts the ordinary valid batch, so the hot path is the common one', () => {
    const body = { events: Array.from({ length: 500 }, (_, i) => ({ ...valid, id: `c${i}` })) };
    expect(isPlainlyValidUsageBatch(body, now)).toBe(true);
    expect(dtoAccepts(body)).toBe(true);
  });

  it('never accepts what the DTO rejects (3,000 generated events)', () => {
    const wrongly: unknown[] = [];
    let accepted = 0;
    for (const event of cases(3000)) {
      const body = { events: [event] };
      if (isPlainlyValidUsageBatch(body, now)) {
        accepted += 1;
        if (!dtoAccepts(body)) wrongly.push(event);
      }
    }
    expect(wrongly).toEqual([]);
    expect(accepted).toBeGreaterThan(100);
  });

  it.each([
    ['not an object', []],
    ['no events', {}],
    ['an extra top-level field', { events: [valid], more: 1 }],
    ['an empty batch', { events: [] }],
    ['1001 events', { events: Array.from({ length: 1001 }, () => valid) }],
    ['an event that is an array', { events: [[valid]] }],
  ])('leaves %s to the DTO', (_name, body) => {
    expect(isPlainlyValidUsageBatch(body, now)).toBe(false);
  });
});
