import { InvalidEventError } from '../envelope';
import { decodeCallsDeniedV1 } from './calls-denied.v1';

const valid = {
  type: 'calls.denied',
  version: 1,
  id: '6f1d3c1e-8f0a-4d9e-a7c2-3b5e9d0c4a21',
  occurredAt: '2026-11-28T10:05:00.000Z',
  recordedAt: '2026-11-28T10:06:00.012Z',
  payload: {
    replicaId: 'decision-7f9c4-0a1b2c',
    minute: '2026-11-28T10:05:00.000Z',
    denials: [
      { orgId: 'acme', reason: 'rate_limited', count: 20 },
      { orgId: 'acme', reason: 'quota_exhausted', count: 1 },
      { orgId: 'globex', reason: 'rate_limited', count: 3 },
    ],
  },
};

const withPayload = (payload: Record<string, unknown>) => ({
  ...valid,
  payload: { ...valid.payload, ...payload },
});
const withDenial = (denial: Record<string, unknown>) =>
  withPayload({ denials: [{ ...valid.payload.denials[0], ...denial }] });

describe('decodeCallsDeniedV1', () => {
  it('reads a valid record', () => {
    expect(decodeCallsDeniedV1(valid)).toEqual(valid);
  });

  it('accepts a reason it has never heard of, so that new reasons need no new version', () => {
    expect(decodeCallsDeniedV1(withDenial({ reason: 'key_revoked' })).payload.denials[0].reason).toBe(
      'key_revoked',
    );
  });

  it.each([
    ['another version', { ...valid, version: 2 }],
    ['another type', { ...valid, type: 'call.admitted' }],
    ['no replica id', withPayload({ replicaId: undefined })],
    ['a replica id of 129 characters', withPayload({ replicaId: 'r'.repeat(129) })],
    ['a minute that is not a time', withPayload({ minute: 'ten past' })],
    ['a minute that does not start a minute', withPayload({ minute: '2026-11-28T10:05:30.000Z' })],
    ['no denials', withPayload({ denials: [] })],
    ['denials that are not an array', withPayload({ denials: valid.payload.denials[0] })],
    ['too many denials', withPayload({ denials: Array<unknown>(10_001).fill(valid.payload.denials[0]) })],
    ['a denial that is not an object', withPayload({ denials: ['acme'] })],
    ['an org id with a space', withDenial({ orgId: 'a b' })],
    ['a reason in capitals', withDenial({ reason: 'RATE_LIMITED' })],
    ['a reason of 65 characters', withDenial({ reason: 'r'.repeat(65) })],
    ['an empty reason', withDenial({ reason: '' })],
    ['a count of 0', withDenial({ count: 0 })],
    ['a fractional count', withDenial({ count: 1.5 })],
    ['a count given as text', withDenial({ count: '3' })],
    [
      'the same org and reason twice',
      withPayload({ denials: [valid.payload.denials[0], { ...valid.payload.denials[0], count: 1 }] }),
    ],
  ])('rejects %s', (_name, value) => {
    expect(() => decodeCallsDeniedV1(value)).toThrow(InvalidEventError);
  });
});
