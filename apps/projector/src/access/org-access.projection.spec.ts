import { AccessEventV1, ActiveApiKey } from '@metergate/contracts';
import { newestAccessPerOrg, orgAccessUpsertParameters } from './org-access.projection';

const key = (keyId: string): ActiveApiKey => ({
  keyId,
  prefix: `mg_prod_${keyId.padEnd(8, '0')}`,
  purpose: 'production',
  digest: keyId.padEnd(64, '0'),
});

const event = (
  orgId: string,
  aggregateVersion: number,
  tier: string,
  status: 'active' | 'suspended' = 'active',
): AccessEventV1 => ({
  type: 'access.event',
  version: 1,
  id: `${orgId}-${aggregateVersion}`,
  occurredAt: `2026-11-28T10:00:0${aggregateVersion}.000Z`,
  recordedAt: `2026-11-28T10:00:0${aggregateVersion}.000Z`,
  payload: {
    kind: 'TierChanged',
    orgId,
    aggregateVersion,
    actor: 'admin',
    from: 'trial',
    to: tier,
    reason: 'test',
    access: {
      tier,
      status,
      limitOverrides: aggregateVersion > 2 ? { generate: { perDay: 10 } } : {},
      apiKeys: aggregateVersion > 1 ? [key(`k${aggregateVersion}`)] : [],
      models: aggregateVersion > 2 ? ['support-bot'] : [],
    },
  },
});

describe('projecting access events to org_access rows', () => {
  it('keeps the newest state of each organization in the batch', () => {
    expect(
      newestAccessPerOrg([event('b', 1, 'production'), event('a', 1, 'production'), event('a', 3, 'trial')]),
    ).toEqual([
      {
        orgId: 'a',
        tier: 'trial',
        status: 'active',
        limitOverrides: { generate: { perDay: 10 } },
        apiKeys: [key('k3')],
        models: ['support-bot'],
        version: 3,
        updatedAt: '2026-11-28T10:00:03.000Z',
      },
      {
        orgId: 'b',
        tier: 'production',
        status: 'active',
        limitOverrides: {},
        apiKeys: [],
        models: [],
        version: 1,
        updatedAt: '2026-11-28T10:00:01.000Z',
      },
    ]);
  });

  it('ignores an older event redelivered after a newer one', () => {
    expect(
      newestAccessPerOrg([event('a', 2, 'production', 'suspended'), event('a', 1, 'trial')]),
    ).toMatchObject([{ orgId: 'a', version: 2, tier: 'production', status: 'suspended' }]);
  });

  it('gives the same rows when the same events are applied twice', () => {
    const events = [event('a', 1, 'production'), event('a', 2, 'trial'), event('c', 1, 'production')];
    expect(newestAccessPerOrg([...events, ...events])).toEqual(newestAccessPerOrg(events));
  });

  it('gives nothing for an empty batch', () => {
    expect(newestAccessPerOrg([])).toEqual([]);
  });

  it('hands the keys, with their digests, and the models to the upsert as JSON, column by column', () => {
    const [, , , , apiKeys, models, versions] = orgAccessUpsertParameters(
      newestAccessPerOrg([event('a', 3, 'production'), event('b', 1, 'trial')]),
    ) as string[][];
    expect(apiKeys.map((json) => JSON.parse(json) as unknown)).toEqual([[key('k3')], []]);
    expect(models.map((json) => JSON.parse(json) as unknown)).toEqual([['support-bot'], []]);
    expect(versions).toEqual([3, 1]);
  });
});
