import { InvalidEventError } from '../envelope';
import { decodeCallAdmissions } from './call-admissions';
import { decodeCallAdmittedV2 } from './call-admitted.v2';

const v1 = {
  type: 'call.admitted',
  version: 1,
  id: 'call-1',
  occurredAt: '2026-11-28T10:00:00.000Z',
  recordedAt: '2026-11-28T10:00:00.000Z',
  payload: { orgId: 'acme', userId: 'alice', endpoint: 'generate', model: 'small', hits: 1 },
};

const v2 = {
  type: 'call.admitted',
  version: 2,
  id: '0d6b2a57-52c4-4c3f-8b8e-6f4a6a0f5d11',
  occurredAt: '2026-11-28T10:00:00.050Z',
  recordedAt: '2026-11-28T10:00:00.050Z',
  payload: {
    admissions: [
      { id: 'call-1', occurredAt: '2026-11-28T10:00:00.000Z', orgId: 'acme', endpoint: 'generate', hits: 1 },
      {
        id: 'call-2',
        occurredAt: '2026-11-28T10:00:00.010Z',
        orgId: 'globex',
        userId: 'bob',
        endpoint: 'embed',
        model: 'large',
        hits: 3,
      },
    ],
  },
};

describe('decodeCallAdmittedV2', () => {
  it('reads a valid record, optional fields present or not', () => {
    expect(decodeCallAdmittedV2(v2)).toEqual(v2);
  });

  const admission = v2.payload.admissions[0];
  it.each([
    ['version 1', v1],
    ['no admissions', { ...v2, payload: { admissions: [] } }],
    ['admissions that are not an array', { ...v2, payload: { admissions: admission } }],
    ['too many admissions', { ...v2, payload: { admissions: Array<unknown>(10_001).fill(admission) } }],
    ['an admission that is not an object', { ...v2, payload: { admissions: ['call-1'] } }],
    ['an admission without an id', { ...v2, payload: { admissions: [{ ...admission, id: undefined }] } }],
    [
      'an admission whose id holds U+0000',
      { ...v2, payload: { admissions: [{ ...admission, id: '\u0000' }] } },
    ],
    ['an admission with a blank model', { ...v2, payload: { admissions: [{ ...admission, model: ' ' }] } }],
    [
      'an admission without a time',
      { ...v2, payload: { admissions: [{ ...admission, occurredAt: 'now' }] } },
    ],
    ['an admission without hits', { ...v2, payload: { admissions: [{ ...admission, hits: undefined }] } }],
    ['an admission with a bad org id', { ...v2, payload: { admissions: [{ ...admission, orgId: 'a b' }] } }],
    ['a record without an id', { ...v2, id: undefined }],
  ])('rejects %s', (_name, value) => {
    expect(() => decodeCallAdmittedV2(value)).toThrow(InvalidEventError);
  });
});

describe('decodeCallAdmissions', () => {
  it('reads a v1 event as itself', () => {
    expect(decodeCallAdmissions(v1)).toEqual([v1]);
  });

  it('reads a v2 record as one v1 event per admission, each with its own id and time', () => {
    expect(decodeCallAdmissions(v2)).toEqual([
      {
        type: 'call.admitted',
        version: 1,
        id: 'call-1',
        occurredAt: '2026-11-28T10:00:00.000Z',
        recordedAt: v2.recordedAt,
        payload: { orgId: 'acme', endpoint: 'generate', hits: 1 },
      },
      {
        type: 'call.admitted',
        version: 1,
        id: 'call-2',
        occurredAt: '2026-11-28T10:00:00.010Z',
        recordedAt: v2.recordedAt,
        payload: { orgId: 'globex', userId: 'bob', endpoint: 'embed', model: 'large', hits: 3 },
      },
    ]);
  });

  it.each([
    ['another version', { ...v1, version: 3 }],
    ['another type', { ...v1, type: 'usage.recorded' }],
    ['a bad v1 event', { ...v1, payload: { ...v1.payload, hits: -1 } }],
    ['a bad v2 record', { ...v2, payload: {} }],
    ['an array', [v1]],
  ])('rejects %s', (_name, value) => {
    expect(() => decodeCallAdmissions(value)).toThrow(InvalidEventError);
  });
});
