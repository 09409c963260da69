import { csvFileName } from './csv-download';
import { describeOverrideEntry, parseLimitOverride } from './limit-override-form';
import { gaugeParts } from './quota-gauge';
import { parseRoute, routeHref, routeTitle } from './routes';
import { SESSION_KEY, clearSession, loadSession, saveSession } from './session';

describe('routes', () => {
  it('reads each page from the fragment, the queue by default', () => {
    expect(parseRoute('')).toEqual({ page: 'queue' });
    expect(parseRoute('#/')).toEqual({ page: 'queue' });
    expect(parseRoute('#/top')).toEqual({ page: 'top' });
    expect(parseRoute('#/denials/')).toEqual({ page: 'denials' });
    expect(parseRoute('#/orgs/acme_1')).toEqual({ page: 'org', orgId: 'acme_1' });
  });

  it('names no page for an unknown path or an organization id the API would refuse', () => {
    expect(parseRoute('#/nowhere')).toBeUndefined();
    expect(parseRoute('#/orgs/a%20b')).toBeUndefined();
    expect(parseRoute('#/orgs/%E0%A4%A')).toBeUndefined();
    expect(parseRoute(`#/orgs/${'a'.repeat(65)}`)).toBeUndefined();
  });

  it('writes links that read back as the same page', () => {
    for (const route of [
      { page: 'queue' },
      { page: 'top' },
      { page: 'denials' },
      { page: 'org', orgId: 'a-b' },
    ] as const) {
      expect(parseRoute(routeHref(route))).toEqual(route);
    }
    expect(routeTitle({ page: 'org', orgId: 'acme' })).toBe('Organization acme');
    expect(routeTitle(undefined)).toBe('Page not found');
  });
});

describe('session', () => {
  const storage = () => {
    const items = new Map<string, string>();
    return {
      items,
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    };
  };

  it('keeps the token and actor until cleared', () => {
    const store = storage();
    saveSession(store, { token: 'dev-admin', actor: 'ada' });
    expect(loadSession(store)).toEqual({ token: 'dev-admin', actor: 'ada' });
    clearSession(store);
    expect(loadSession(store)).toBeUndefined();
  });

  it.each(['not json', '{"token":""}', '{"token":3,"actor":"a"}', 'null'])('ignores %j', (raw) => {
    const store = storage();
    store.items.set(SESSION_KEY, raw);
    expect(loadSession(store)).toBeUndefined();
  });
});

describe('parseLimitOverride', () => {
  const tier = { mode: 'tier' as const, cap: '' };
  it('sends only the windows that change: a cap, or null for no cap', () => {
    expect(parseLimitOverride(' generate ', { mode: 'cap', cap: '120' }, { mode: 'none', cap: '' })).toEqual({
      endpoint: 'generate',
      override: { perMinute: 120, perDay: null },
    });
    expect(parseLimitOverride('embed', tier, { mode: 'cap', cap: '0' })).toEqual({
      endpoint: 'embed',
      override: { perDay: 0 },
    });
  });

  it('sends again the general limits the endpoint already holds, which the form does not edit', () => {
    const kept = [
      { unit: 'chars' as const, window: 'PT1M', limit: 100_000 },
      { unit: 'calls' as const, window: 'PT1H', limit: null, model: 'large' },
    ];
    expect(parseLimitOverride('generate', { mode: 'cap', cap: '30' }, tier, kept)).toEqual({
      endpoint: 'generate',
      override: { perMinute: 30, limits: kept },
    });
    expect(kept.map(describeOverrideEntry)).toEqual([
      'chars per PT1M: 100,000',
      'calls per PT1H: no cap (model large)',
    ]);
  });

  it('lists every problem at once', () => {
    expect(parseLimitOverride('', { mode: 'cap', cap: '1.5' }, { mode: 'cap', cap: '' })).toEqual({
      problems: [
        { field: 'endpoint', message: 'Choose the endpoint to override.' },
        { field: 'perMinute', message: 'The cap per minute must be a whole number from 0 to 1,000,000,000.' },
        { field: 'perDay', message: 'The cap per day must be a whole number from 0 to 1,000,000,000.' },
      ],
    });
    expect(parseLimitOverride('generate', tier, tier)).toEqual({
      problems: [{ field: 'perMinute', message: 'Change at least one window: per minute or per day.' }],
    });
    expect(parseLimitOverride('generate', { mode: 'cap', cap: '1000000001' }, tier)).toHaveProperty(
      'problems',
    );
  });
});

describe('gaugeParts', () => {
  it('divides the limit into used, reserved and remaining', () => {
    expect(gaugeParts({ limit: 1000, used: 250, reserved: 100 })).toEqual({
      used: 0.25,
      reserved: 0.1,
      remaining: 0.65,
      full: false,
    });
    expect(gaugeParts({ limit: 1000, used: 250 })).toMatchObject({ reserved: 0, remaining: 0.75 });
  });

  it('fills rather than overflows once used passes the limit', () => {
    expect(gaugeParts({ limit: 1000, used: 1200, reserved: 50 })).toEqual({
      used: 1,
      reserved: 0,
      remaining: 0,
      full: true,
    });
    expect(gaugeParts({ limit: 1000, used: 900, reserved: 300 })).toMatchObject({
      reserved: 0.1,
      remaining: 0,
      full: true,
    });
    expect(gaugeParts({ limit: 0, used: 0 })).toMatchObject({ full: true });
  });
});

describe('csvFileName', () => {
  it('names what was asked for, without colons', () => {
    expect(csvFileName('top-calls', '2026-03-01T00:00:00.000Z', '2026-03-02T12:30:00.000Z')).toBe(
      'top-calls-2026-03-01T0000Z-2026-03-02T1230Z.csv',
    );
  });
});
