import {
  CALL_ADMITTED,
  CALL_RELEASED,
  InvalidEventError,
  USAGE_RECORDED,
  decodeCallAdmissions,
  decodeCallReleasedV1,
  decodeJson,
  decodeUsageRecordedV1,
  isObject,
} from '@metergate/contracts';
import { CallFact } from '@metergate/policy';

/** Where a call counts in the projection: its organization, dimensions and time. */
export interface CallPlace {
  orgId: string;
  endpoint: string;
  /** '' when the call named none, as the tables store it. */
  userId: string;
  model: string;
  keyId: string;
  /** Epoch milliseconds. */
  at: number;
}

/** One fact about a call (its usage, its admission, the release of its reservation), for countCall. */
export interface MeteredEvent {
  orgId: string;
  /** The call's id. */
  id: string;
  fact: CallFact<CallPlace>;
  /** A usage event's characters as reported (the fact carries their sum). */
  inputChars: number;
  outputChars: number;
}

/**
 * Reads any version this projector knows from the usage or admissions topic, as the facts it holds (an
 * admissions record may hold several); anything else is an InvalidEventError.
 */
export function decodeMeteredEvents(raw: Buffer | null): MeteredEvent[] {
  const value = decodeJson(raw);
  const type = isObject(value) ? value.type : undefined;
  if (type === USAGE_RECORDED) {
    const { id, occurredAt, payload } = decodeUsageRecordedV1(value);
    const { inputChars, outputChars } = payload;
    const at = placeOf(payload, Date.parse(occurredAt));
    return [
      {
        orgId: payload.orgId,
        id,
        fact: { kind: 'usage', at, chars: inputChars + outputChars },
        inputChars,
        outputChars,
      },
    ];
  }
  if (type === CALL_ADMITTED) {
    return decodeCallAdmissions(value).map(({ id, occurredAt, payload }) => {
      const fact: CallFact<CallPlace> = {
        kind: 'admission',
        at: placeOf(payload, Date.parse(occurredAt)),
        hits: payload.hits,
      };
      if (payload.chars !== undefined)
        fact.reserve = { chars: payload.chars, untilMs: Date.parse(payload.reservedUntil!) };
      return { orgId: payload.orgId, id, fact, inputChars: 0, outputChars: 0 };
    });
  }
  if (type === CALL_RELEASED) {
    const { id, payload } = decodeCallReleasedV1(value);
    return [{ orgId: payload.orgId, id, fact: { kind: 'release' }, inputChars: 0, outputChars: 0 }];
  }
  throw new InvalidEventError(`unknown event type ${String(type)}`);
}

function placeOf(
  subject: { orgId: string; endpoint: string; userId?: string; model?: string; keyId?: string },
  at: number,
): CallPlace {
  return {
    orgId: subject.orgId,
    endpoint: subject.endpoint,
    userId: subject.userId ?? '',
    model: subject.model ?? '',
    keyId: subject.keyId ?? '',
    at,
  };
}
