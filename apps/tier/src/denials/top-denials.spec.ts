import { DENY_REASONS } from '@metergate/policy';
import { orgDenialsRange, topDenialsRange } from './denials-range';
import { deniedOrganizations, reasonColumns } from './top-denials';

describe('the top denials answer', () => {
  const rows = [
    { org_id: 'acme', total: 21, reason: 'quota_exhausted', count: 1 },
    { org_id: 'acme', total: 21, reason: 'rate_limited', count: 20 },
    { org_id: 'globex', total: 3, reason: 'key_revoked', count: 3 },
  ];

  it('gives one entry per organization, in rank order, with its count per reason', () => {
    expect(deniedOrganizations(rows)).toEqual([
      { orgId: 'acme', total: 21, byReason: { quota_exhausted: 1, rate_limited: 20 } },
      { orgId: 'globex', total: 3, byReason: { key_revoked: 3 } },
    ]);
  });

  it('has a CSV column for each known reason, then for the others present, by name', () => {
    expect(reasonColumns(deniedOrganizations(rows), undefined)).toEqual([...DENY_REASONS, 'key_revoked']);
  });

  it('has only the reason asked for as a CSV column', () => {
    expect(reasonColumns(deniedOrganizations(rows.slice(0, 2)), 'rate_limited')).toEqual(['rate_limited']);
  });
});

describe('denial query ranges', () => {
  const now = new Date('2026-11-28T12:00:00.000Z');

  it('default to the last day for the top and the last hour for an organization', () => {
    expect(topDenialsRange(undefined, undefined, now)).toEqual({
      range: { from: new Date('2026-11-27T12:00:00.000Z'), to: now },
    });
    expect(orgDenialsRange(undefined, '2026-11-28T11:00:00Z', now)).toEqual({
      range: { from: new Date('2026-11-28T10:00:00.000Z'), to: new Date('2026-11-28T11:00:00.000Z') },
    });
  });

  it('refuse more than 31 days for the top and a day for an organization, naming the field', () => {
    expect(topDenialsRange('2026-10-28T11:59:59Z', undefined, now)).toMatchObject({
      problems: [{ field: 'to' }],
      maxRange: 'P31D',
    });
    expect(orgDenialsRange('2026-11-27T11:59:59Z', undefined, now)).toMatchObject({
      problems: [{ field: 'to' }],
      maxRange: 'P1D',
    });
  });
});
