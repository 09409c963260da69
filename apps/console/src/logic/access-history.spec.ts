import type { HistoryEntry } from '../api/types';
import { describeHistoryEntry, timeline } from './access-history';

const entry = (version: number, fields: Record<string, unknown>): HistoryEntry => ({
  version,
  eventId: `e${version}`,
  type: 'x',
  by: 'ada',
  at: '2026-03-01T10:00:00Z',
  recordedAt: '2026-03-01T10:00:00Z',
  ...fields,
});

describe('describeHistoryEntry', () => {
  it.each([
    [
      { type: 'FullAccessRequested', useCase: 'Support bot' },
      { what: 'Applied for full access', why: 'Support bot' },
    ],
    [
      { type: 'FullAccessApproved', from: 'trial', tier: 'production', note: 'clear' },
      { what: 'Full access approved: moved from trial to production', why: 'clear' },
    ],
    [
      { type: 'FullAccessApproved', from: 'trial', tier: 'production' },
      { what: 'Full access approved: moved from trial to production' },
    ],
    [
      { type: 'FullAccessRejected', reason: 'vague' },
      { what: 'Full access application rejected', why: 'vague' },
    ],
    [
      { type: 'TierChanged', from: 'production', to: 'trial', reason: 'contract ended' },
      { what: 'Tier changed from production to trial', why: 'contract ended' },
    ],
    [
      { type: 'OrganizationSuspended', reason: 'guideline 4.2' },
      { what: 'Suspended', why: 'guideline 4.2' },
    ],
    [{ type: 'OrganizationReinstated' }, { what: 'Reinstated' }],
    [
      { type: 'LimitOverrideSet', endpoint: 'generate', override: { perMinute: null, perDay: 250000 } },
      { what: 'Limits of generate overridden: per minute no cap, per day 250,000' },
    ],
    [
      {
        type: 'LimitOverrideSet',
        endpoint: 'generate',
        override: { perDay: 1000, limits: [{ unit: 'chars', window: 'PT1M', limit: 50000, model: 'large' }] },
      },
      { what: 'Limits of generate overridden: per day 1,000, chars per PT1M: 50,000 (model large)' },
    ],
    [{ type: 'LimitOverrideRemoved', endpoint: 'embed' }, { what: 'Limit override of embed removed' }],
    [
      { type: 'ApiKeyIssued', keyId: 'k1', prefix: 'mg_prod_AbCd1234', purpose: 'production', name: 'ci' },
      { what: 'API key mg_prod_AbCd1234 issued for production: ci' },
    ],
    [
      { type: 'ApiKeyRevoked', keyId: 'k2', reason: 'leaked in a log' },
      { what: 'API key k2 revoked', why: 'leaked in a log' },
    ],
    [{ type: 'ModelRegistered', model: 'acme-ft-1' }, { what: 'Custom model acme-ft-1 registered' }],
    [
      { type: 'KeyRevoked', reason: 'leaked' },
      { what: 'KeyRevoked', why: 'leaked' },
    ],
  ])('tells %j', (fields, told) => {
    expect(describeHistoryEntry(entry(1, fields))).toEqual(told);
  });

  it('names a revoked key by its prefix when the organization lists it', () => {
    const prefixes = new Map([['k2', 'mg_trial_Zz9Yy8Xx']]);
    expect(describeHistoryEntry(entry(1, { type: 'ApiKeyRevoked', keyId: 'k2' }), prefixes)).toEqual({
      what: 'API key mg_trial_Zz9Yy8Xx revoked',
    });
  });

  it('gives no why for a blank reason', () => {
    expect(describeHistoryEntry(entry(1, { type: 'OrganizationReinstated', reason: '  ' }))).toEqual({
      what: 'Reinstated',
    });
  });
});

describe('timeline', () => {
  it('puts the newest first without changing the history it was given', () => {
    const history = [entry(1, {}), entry(3, {}), entry(2, {})];
    expect(timeline(history).map((e) => e.version)).toEqual([3, 2, 1]);
    expect(history.map((e) => e.version)).toEqual([1, 3, 2]);
  });
});
