import { InvalidEventError } from '../envelope';
import { decodeUsageRecordedV1 } from './usage-recorded.v1';

const valid = {
  type: 'usage.recorded',
  version: 1,
  id: 'call-1',
  occurredAt: '2026-11-28T10:00:00.000Z',
  recordedAt: '2026-11-28T10:00:01.000Z',
  payload: {
    orgId: 'acme',
    userId: 'alice',
    endpoint: 'generate',
    model: 'small',
    inputChars: 10,
    outputChars: 5,
  },
};

describe('decodeUsageRecordedV1', () => {
  it('reads a valid envelope, optional fields included', () => {
    expect(decodeUsageRecordedV1(valid)).toEqual(valid);
  });

  it('leaves optional fields out when they are absent', () => {
    const payload = { orgId: 'acme', endpoint: 'generate', inputChars: 10, outputChars: 5 };
    expect(decodeUsageRecordedV1({ ...valid, payload }).payload).toEqual(payload);
  });

  it.each([
    ['another version', { ...valid, version: 2 }],
    ['another type', { ...valid, type: 'call.admitted' }],
    ['no payload', { ...valid, payload: undefined }],
    ['a negative count', { ...valid, payload: { ...valid.payload, inputChars: -1 } }],
    ['a fractional count', { ...valid, payload: { ...valid.payload, outputChars: 0.5 } }],
    ['an org id with a space', { ...valid, payload: { ...valid.payload, orgId: 'a b' } }],
    ['an id of 129 characters', { ...valid, id: 'x'.repeat(129) }],
    ['a time that is not one', { ...valid, occurredAt: 'yesterday' }],
    ['an array', [valid]],
  ])('rejects %s', (_name, value) => {
    expect(() => decodeUsageRecordedV1(value)).toThrow(InvalidEventError);
  });
});
