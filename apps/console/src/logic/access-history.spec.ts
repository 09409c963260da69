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
    [{ type: 'LimitOverrideRemoved', endpoint: 'embed' }, { what: 'Limit override of embed removed' }],
    [
      { type: 'KeyRevoked', reason: 'leaked' },
      { what: 'KeyRevoked', why: 'leaked' },
    ],
  ])('tells %j', (fields, told) => {
    expect(describeHistoryEntry(entry(1, fields))).toEqual(told);
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
