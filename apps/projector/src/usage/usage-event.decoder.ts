import {
  CALL_ADMITTED,
  InvalidEventError,
  USAGE_RECORDED,
  decodeCallAdmissions,
  decodeJson,
  decodeUsageRecordedV1,
  isObject,
} from '@metergate/contracts';

/** A usage or admission event reduced to what the projection needs. */
export interface MeteredEvent {
  role: 'usage' | 'admission';
  orgId: string;
  id: string;
  endpoint: string;
  userId: string;
  model: string;
  at: number;
  /** Calls this event stands for when it is the first of its id to count the call. */
  calls: number;
  inputChars: number;
  outputChars: number;
}

/**
 * Reads any version this projector knows from either topic, as the events it holds (an admissions record
 * may hold several); anything else is an InvalidEventError.
 */
export function decodeMeteredEvents(raw: Buffer | null): MeteredEvent[] {
  const value = decodeJson(raw);
  const type = isObject(value) ? value.type : undefined;
  if (type === USAGE_RECORDED) {
    const { id, occurredAt, payload } = decodeUsageRecordedV1(value);
    const usage: MeteredEvent = {
      role: 'usage',
      orgId: payload.orgId,
      id,
      endpoint: payload.endpoint,
      userId: payload.userId ?? '',
      model: payload.model ?? '',
      at: Date.parse(occurredAt),
      calls: 1,
      inputChars: payload.inputChars,
      outputChars: payload.outputChars,
    };
    return [usage];
  }
  if (type === CALL_ADMITTED) {
    return decodeCallAdmissions(value).map(({ id, occurredAt, payload }) => ({
      role: 'admission',
      orgId: payload.orgId,
      id,
      endpoint: payload.endpoint,
      userId: payload.userId ?? '',
      model: payload.model ?? '',
      at: Date.parse(occurredAt),
      calls: payload.hits,
      inputChars: 0,
      outputChars: 0,
    }));
  }
  throw new InvalidEventError(`unknown event type ${String(type)}`);
}
