import { InvalidEventError } from '../envelope';
import type { UsageEventDto } from './record-usage.request';
import { decodeUsageRecordedV1, usageRecordedV1 } from './usage-recorded.v1';

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

  it('reads the API key id', () => {
    const withKey = { ...valid, payload: { ...valid.payload, keyId: 'key_1' } };
    expect(decodeUsageRecordedV1(withKey)).toEqual(withKey);
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
    ['an id with U+0000', { ...valid, id: 'a\u0000' }],
    ['an id with a lone surrogate', { ...valid, id: '\udc00' }],
    ['a blank id', { ...valid, id: '  ' }],
    ['a time that is not one', { ...valid, occurredAt: 'yesterday' }],
    ['a day February does not have', { ...valid, occurredAt: '2026-02-30T10:00:00.000Z' }],
    ['a time without an offset', { ...valid, recordedAt: '2026-11-28T10:00:01' }],
    ['an array', [valid]],
  ])('rejects %s', (_name, value) => {
    expect(() => decodeUsageRecordedV1(value)).toThrow(InvalidEventError);
  });
});

describe('usageRecordedV1', () => {
  const event = {
    id: 'call-1',
    orgId: 'acme',
    endpoint: 'generate',
    inputChars: 10,
    outputChars: 5,
    timestamp: '2026-11-28T11:00:00+01:00',
  };

  it('carries the user, the key and the model, with the time in UTC', () => {
    const dto = { ...event, userId: 'alice', keyId: 'key_1', model: 'small' } as UsageEventDto;
    expect(usageRecordedV1(dto, '2026-11-28T10:00:01.000Z')).toEqual({
      ...valid,
      payload: { ...valid.payload, keyId: 'key_1' },
    });
  });

  it('leaves out optional fields sent as null, so that the decoder reads what ingest accepted', () => {
    const dto = { ...event, userId: null, keyId: null, model: null } as unknown as UsageEventDto;
    const wire = usageRecordedV1(dto, '2026-11-28T10:00:01.000Z');
    expect(wire.payload).toEqual({ orgId: 'acme', endpoint: 'generate', inputChars: 10, outputChars: 5 });
    expect(decodeUsageRecordedV1(JSON.parse(JSON.stringify(wire)))).toEqual(wire);
  });
});
