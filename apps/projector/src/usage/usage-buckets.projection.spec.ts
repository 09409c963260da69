import { CountedUsage, projectUsageBuckets } from './usage-buckets.projection';

const at = Date.parse('2026-11-28T10:15:42.250Z');

function usage(overrides: Partial<CountedUsage> = {}): CountedUsage {
  return {
    orgId: 'acme',
    endpoint: 'generate',
    userId: '',
    model: '',
    at,
    calls: 1,
    inputChars: 10,
    outputChars: 5,
    ...overrides,
  };
}

describe('projectUsageBuckets', () => {
  it('puts one call into its second, minute, hour and day bucket and the lifetime total', () => {
    const rows = projectUsageBuckets([usage()]);
    expect(rows.seconds).toEqual([
      {
        orgId: 'acme',
        endpoint: 'generate',
        bucket: new Date('2026-11-28T10:15:42Z'),
        calls: 1,
        inputChars: 10,
        outputChars: 5,
      },
    ]);
    expect(rows.minutes[0].bucket).toEqual(new Date('2026-11-28T10:15:00Z'));
    expect(rows.hours[0]).toMatchObject({ bucket: new Date('2026-11-28T10:00:00Z'), userId: '', model: '' });
    expect(rows.days[0].bucket).toEqual(new Date('2026-11-28T00:00:00Z'));
    expect(rows.lifetime).toEqual([
      { orgId: 'acme', endpoint: 'generate', calls: 1, inputChars: 10, outputChars: 5 },
    ]);
  });

  it('sums events of one key into one row, so an upsert never touches a row twice', () => {
    const rows = projectUsageBuckets([usage(), usage({ at: at + 500 }), usage({ userId: 'u1' })]);
    expect(rows.seconds).toHaveLength(1);
    expect(rows.seconds[0]).toMatchObject({ calls: 3, inputChars: 30, outputChars: 15 });
    expect(rows.hours.map((r) => [r.userId, r.calls])).toEqual([
      ['', 2],
      ['u1', 1],
    ]);
  });

  it('keeps users of one organization apart in rollups but together in rate windows', () => {
    const rows = projectUsageBuckets([usage({ userId: 'alice' }), usage({ userId: 'bob', model: 'small' })]);
    expect(rows.seconds).toHaveLength(1);
    expect(rows.seconds[0].calls).toBe(2);
    expect(rows.hours).toHaveLength(2);
  });

  it('adds characters without a call for a usage event whose call its admission already counted', () => {
    const rows = projectUsageBuckets([usage({ calls: 0, inputChars: 100, outputChars: 50 })]);
    expect(rows.lifetime[0]).toMatchObject({ calls: 0, inputChars: 100, outputChars: 50 });
  });

  it('skips contributions of nothing', () => {
    const rows = projectUsageBuckets([usage({ calls: 0, inputChars: 0, outputChars: 0 })]);
    expect(rows).toEqual({ seconds: [], minutes: [], hours: [], days: [], lifetime: [] });
  });

  it('orders rows by key whatever the order of the events, so concurrent writers lock rows alike', () => {
    const events = [
      usage({ orgId: 'zeta' }),
      usage({ orgId: 'acme', endpoint: 'embed' }),
      usage({ orgId: 'acme' }),
    ];
    const forward = projectUsageBuckets(events);
    const backward = projectUsageBuckets([...events].reverse());
    expect(forward).toEqual(backward);
    expect(forward.seconds.map((r) => `${r.orgId}/${r.endpoint}`)).toEqual([
      'acme/embed',
      'acme/generate',
      'zeta/generate',
    ]);
  });

  it('buckets by UTC boundaries', () => {
    const rows = projectUsageBuckets([usage({ at: Date.parse('2026-11-28T23:59:59.999Z') })]);
    expect(rows.days[0].bucket).toEqual(new Date('2026-11-28T00:00:00Z'));
    expect(rows.seconds[0].bucket).toEqual(new Date('2026-11-28T23:59:59Z'));
  });
});
