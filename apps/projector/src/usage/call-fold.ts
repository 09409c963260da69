import { CallFact, CallRecord, countCall } from '@metergate/policy';
import { CallPlace, MeteredEvent } from './usage-event.decoder';

/**
 * What one newly counted event adds at its place. `calls` is 0 for a usage event whose call its admission
 * already counted, and -1 where a call moved away from; an admission's characters are always 0.
 */
export interface CountedUsage extends CallPlace {
  calls: number;
  inputChars: number;
  outputChars: number;
}

export type OffsetEvent = MeteredEvent & { offset: number };

/** A call's facts of one batch applied, in the order read, to the record the call had before it. */
export interface FoldedCall {
  orgId: string;
  id: string;
  /** The record after the batch; undefined only for a call no fact changed and nothing stored. */
  record: CallRecord<CallPlace> | undefined;
  /** The kind of each fact that changed the record (the others were applied before). */
  changedBy: CallFact<CallPlace>['kind'][];
  counted: CountedUsage[];
  /** Places a call moved away from, whose rows may now hold nothing. */
  vacated: CountedUsage[];
  /** Where this batch first counted the call's usage and admission (the stored ones are kept). */
  usageOffset?: number;
  admissionOffset?: number;
  usageCountedCall?: boolean;
  /** A reservation this batch opened that is still open at its end: to be stored. */
  opens?: { chars: number; untilMs: number; at: CallPlace };
  /** The stored reservation is settled (committed or released): to be removed. */
  settlesStored: boolean;
}

/**
 * Applies one call's facts by the one counting rule (countCall). What the batch does to its reservation
 * is netted: one opened and settled within the batch is neither stored nor removed.
 */
export function foldCall(prior: CallRecord<CallPlace> | undefined, events: OffsetEvent[]): FoldedCall {
  const { orgId, id } = events[0];
  const folded: FoldedCall = {
    orgId,
    id,
    record: prior,
    changedBy: [],
    counted: [],
    vacated: [],
    settlesStored: false,
  };
  for (const event of events) {
    const outcome = countCall<CallPlace>(folded.record, event.fact);
    if (outcome.unchanged) continue;
    folded.record = outcome.record;
    folded.changedBy.push(event.fact.kind);
    for (const effect of outcome.effects) {
      const chars = effect.chars === 0 ? { inputChars: 0, outputChars: 0 } : event;
      folded.counted.push(countedAt(effect.at, effect.calls, chars.inputChars, chars.outputChars));
      if (effect.calls < 0) folded.vacated.push(countedAt(effect.at, 0, 0, 0));
    }
    if (event.fact.kind === 'usage') {
      folded.usageOffset ??= event.offset;
      folded.usageCountedCall ??= outcome.effects[0].calls > 0;
    }
    if (event.fact.kind === 'admission') folded.admissionOffset ??= event.offset;
  }
  const reservation = folded.record?.reservation;
  if (reservation && reservation !== prior?.reservation) folded.opens = reservation;
  folded.settlesStored = prior?.reservation !== undefined && reservation !== prior.reservation;
  return folded;
}

/** What a fact counts at a place (field by field: see the hot-path rule in eslint.config.mjs). */
function countedAt(place: CallPlace, calls: number, inputChars: number, outputChars: number): CountedUsage {
  return {
    orgId: place.orgId,
    endpoint: place.endpoint,
    userId: place.userId,
    model: place.model,
    keyId: place.keyId,
    at: place.at,
    calls,
    inputChars,
    outputChars,
  };
}
