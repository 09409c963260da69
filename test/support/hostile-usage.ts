import fc from 'fast-check';

/**
 * Generators of what a careless or hostile client sends, for the property tests that hold the edges
 * (ingest, the decision API) and the consumers to one definition of each field. Each field is valid nine
 * times in ten, so that about a quarter of the events are valid as a whole: both outcomes, refused and
 * counted, are exercised in every run, and every field is hostile in a thousand events of 10,000.
 */

/** Code units and sequences that have broken text handling somewhere. */
const hostileUnit = fc.constantFrom(
  // control characters, C0 and C1, and DEL
  '\u0000',
  '\u0001',
  '\t',
  '\n',
  '\r',
  '\u001b',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u009f',
  // lone surrogates, high and low
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  // invisible formatting: bidirectional marks, overrides and isolates, zero-width characters, BOM
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202e',
  '\u2066',
  '\u2069',
  '\u200b',
  '\u200d',
  '\u00ad',
  '\ufeff',
  // line and paragraph separators, and whitespace of several kinds
  '\u2028',
  '\u2029',
  ' ',
  '\u00a0',
  '\u1680',
  '\u2003',
  '\u3000',
  // astral characters, a joined emoji, a combining accent, specials and noncharacters
  '😀',
  '🦙',
  '👩‍👩‍👧',
  'e\u0301',
  '\ufffd',
  '\ufffe',
  '\uffff',
  // what JSON, SQL and shells treat specially, and escapes written out as text
  '"',
  '\\',
  "'",
  '%',
  '\\u0000',
  '\\ud800',
  // the ordinary
  'a',
  'Z',
  '0',
  '_',
  '-',
  '.',
  '/',
);

const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));

/** Strings of every kind of trouble: odd characters, any code units, any code points, and long ones. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: hostileUnit, maxLength: 12 }),
  fc.string({ unit: anyCodeUnit, maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc
    .tuple(fc.constantFrom('x', '😀', 'é', ' ', '\u0000', '\ud800'), fc.integer({ min: 30, max: 140 }))
    .map(([unit, times]) => unit.repeat(times)),
  fc.constantFrom('', ' ', '\t', '\u0000', '\ud800', '😀', '\u200f', ' \u00a0\u3000 '),
);

/** A string that is valid for an idempotency key or a name, unusual characters included. */
const printableKey = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .filter((s) => /\S/u.test(s));

const identifier = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);

/** Mostly valid (some of them exotic), now and then hostile. */
const mostly = <T>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<unknown> = hostileString) =>
  fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: hostile });

export const hostileFields = {
  /** `id` and `requestId`: printable keys, ordinary or exotic, or trouble. */
  callId: mostly(
    fc.oneof(fc.uuid(), printableKey, fc.string({ unit: 'binary', minLength: 1, maxLength: 64 })),
  ),
  identifier: mostly(identifier),
  model: mostly(
    fc.oneof(fc.constantFrom('small', 'medium', 'large', 'llama-3.1:70b', 'résumé 🦙'), printableKey),
  ),
  endpoint: mostly(fc.constantFrom('generate', 'embed', 'classify')),
};

/** Counts at and across every bound, and what JSON makes of NaN and infinities (null). */
export const hostileCount: fc.Arbitrary<unknown> = mostly(
  fc.oneof(fc.integer({ min: 0, max: 1_000_000_000 }), fc.constantFrom(0, 1_000_000_000)),
  fc.oneof(
    fc.constantFrom(
      0,
      -0,
      1,
      -1,
      1_000_000_000,
      1_000_000_001,
      0.5,
      1.5,
      999_999_999.9,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 1,
      2 ** 53 + 2,
      1e21,
      1e308,
      -1e308,
      Number.MIN_VALUE,
      NaN,
      Infinity,
      -Infinity,
      '5',
      '1e3',
      '',
      true,
      null,
      [],
      {},
    ),
    fc.double(),
  ),
);

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** The instant `at` written as RFC 3339 in the given offset, separator, case and fraction. */
function rfc3339(
  at: number,
  offsetMinutes: number,
  fraction: string,
  separator: string,
  zulu: string,
): string {
  const local = new Date(at + offsetMinutes * 60_000);
  const date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  const offset =
    offsetMinutes === 0 && zulu !== ''
      ? zulu
      : `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.trunc(offsetMinutes / 60))}:${pad(offsetMinutes % 60)}`;
  return `${date}${separator}${time}${fraction}${offset}`;
}

/**
 * Times around `now`: most recent and real, written in every form RFC 3339 allows; the rest impossible
 * (February 30, hour 24, minute 60, a leap second, offsets past 23:59), far past or future, leap days,
 * or not times at all.
 */
export function hostileTimestamp(now: number): fc.Arbitrary<unknown> {
  const recent = fc
    .record({
      // Mostly inside the 7 days back and 5 minutes ahead that ingest accepts, sometimes across.
      ago: fc.oneof(
        { weight: 9, arbitrary: fc.integer({ min: -4 * 60_000, max: 6 * 86_400_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: -6 * 60_000, max: 8 * 86_400_000 }) },
      ),
      offsetMinutes: fc.oneof(fc.constant(0), fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 })),
      fraction: fc.constantFrom('', '.5', '.123', '.123456789', '.000000000'),
      separator: fc.constantFrom('T', 't', ' '),
      zulu: fc.constantFrom('Z', 'z', ''),
    })
    .map(({ ago, offsetMinutes, fraction, separator, zulu }) =>
      rfc3339(now - ago, offsetMinutes, fraction, separator, zulu),
    );
  const year = new Date(now).getUTCFullYear();
  const impossible = fc.constantFrom(
    `${year}-02-30T12:00:00Z`,
    `${year}-02-31T12:00:00Z`,
    `${year}-04-31T12:00:00Z`,
    `${year}-13-01T00:00:00Z`,
    `${year}-00-10T00:00:00Z`,
    `${year}-01-00T00:00:00Z`,
    `${year}-01-10T24:00:00Z`,
    `${year}-01-10T23:60:00Z`,
    `${year}-01-10T23:59:60Z`,
    `${year}-01-10T12:00:00+24:00`,
    `${year}-01-10T12:00:00+01:60`,
    '2024-02-29T12:00:00Z',
    '2028-02-29T12:00:00Z',
    '2100-02-29T12:00:00Z',
    '0000-01-01T00:00:00Z',
    '1970-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '+275760-09-13T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    new Date(now).toISOString().slice(0, 19),
    new Date(now).toISOString().slice(0, 10),
    'now',
    '',
  );
  return fc.oneof(
    { weight: 12, arbitrary: recent },
    { weight: 1, arbitrary: impossible },
    { weight: 1, arbitrary: fc.oneof(hostileString, fc.integer(), fc.constant(now), fc.constant(null)) },
  );
}

/** One usage event as a client might send it: any field missing, hostile or extra. */
export function hostileUsageEvent(now: number): fc.Arbitrary<Record<string, unknown>> {
  const event = fc.record(
    {
      id: hostileFields.callId,
      orgId: hostileFields.identifier,
      userId: hostileFields.identifier,
      keyId: hostileFields.identifier,
      endpoint: hostileFields.endpoint,
      model: hostileFields.model,
      inputChars: hostileCount,
      outputChars: hostileCount,
      timestamp: hostileTimestamp(now),
    },
    { requiredKeys: ['id', 'orgId', 'endpoint', 'inputChars', 'outputChars', 'timestamp'] },
  );
  // Now and then a required field goes missing, or one the contract does not know comes along.
  const change = fc.oneof(
    { weight: 18, arbitrary: fc.constant(null) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc
          .constantFrom('id', 'orgId', 'endpoint', 'inputChars', 'outputChars', 'timestamp')
          .map((drop) => ({ drop })),
        fc.tuple(fc.constantFrom('extra', 'orgID', 'Id', 'tokens'), fc.anything()).map(([key, value]) => ({
          add: { key, value },
        })),
      ),
    },
  );
  return fc.tuple(event, change).map(([generated, change]) => {
    const copy: Record<string, unknown> = { ...generated };
    if (change !== null && 'drop' in change) delete copy[change.drop];
    if (change !== null && 'add' in change) copy[change.add.key] = change.add.value;
    return copy;
  });
}

/** What the server receives: JSON turns NaN and infinities into null and drops undefined. */
export const overHttp = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));
