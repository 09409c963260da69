import { InvalidEventError, isObject } from '../envelope';
import { CALL_ADMITTED, CallAdmittedV1, decodeCallAdmittedV1 } from './call-admitted.v1';
import { decodeCallAdmittedV2 } from './call-admitted.v2';

/**
 * Every admission a record of the admitted topic holds, whatever its version, as v1 events: one call
 * each, with the call's own id and time, so that every consumer counts both versions alike.
 */
export function decodeCallAdmissions(value: unknown): CallAdmittedV1[] {
  const version = isObject(value) && value.type === CALL_ADMITTED ? value.version : undefined;
  if (version === 1) return [decodeCallAdmittedV1(value)];
  if (version !== 2) throw new InvalidEventError(`expected ${CALL_ADMITTED} v1 or v2`);
  const record = decodeCallAdmittedV2(value);
  return record.payload.admissions.map(({ id, occurredAt, chars, reservedUntil, ...payload }) => ({
    type: CALL_ADMITTED,
    version: 1,
    id,
    occurredAt,
    recordedAt: record.recordedAt,
    payload: chars === undefined ? payload : Object.assign(payload, { chars, reservedUntil }),
  }));
}
