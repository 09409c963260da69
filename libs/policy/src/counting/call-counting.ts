/**
 * The one rule for counting a call, shared by the projector and the decision read model: a call
 * (identified by its organization and id) is counted once, whichever of its admission and its usage
 * event arrives first and however often either is redelivered.
 *
 * - An admission counts the call (`hits` calls) where the decision was made and may reserve
 *   characters until its usage event settles them (or a release, or the reservation's end).
 * - A usage event counts the call's characters where it reports them; it counts the call itself only
 *   when no admission did, and an admission arriving later moves that call to its own place.
 * - Anything already applied changes nothing.
 *
 * `P` is the store's notion of a place (time and dimensions of a call).
 */
export interface CallRecord<P> {
  admitted: boolean;
  usage: boolean;
  /** Where the usage event counted the call itself, until an admission moves it. */
  calledAt?: P;
  /** Characters held for the call until its usage event arrives, it is released, or `untilMs`. */
  reservation?: { chars: number; untilMs: number; at: P };
  /** The reservation was released: a usage event arriving afterwards still counts its characters. */
  released?: boolean;
}

export type CallFact<P> =
  | { kind: 'usage'; at: P; chars: number }
  | { kind: 'admission'; at: P; hits: number; reserve?: { chars: number; untilMs: number } }
  | { kind: 'release' };

/** Units to add at a place (negative: taken back from where a call moved away). */
export interface CountEffect<P> {
  at: P;
  calls: number;
  chars: number;
}

export interface CountOutcome<P> {
  record: CallRecord<P>;
  effects: CountEffect<P>[];
  /** A reservation this fact opens, or the one it settles (committed or released). */
  opened?: { chars: number; untilMs: number; at: P };
  settled?: { chars: number; untilMs: number; at: P };
  /** Nothing changed: the fact was applied before (or a release found nothing to release). */
  unchanged: boolean;
}

export function countCall<P>(prior: CallRecord<P> | undefined, fact: CallFact<P>): CountOutcome<P> {
  const record = copyOf(prior);
  const unchanged = (): CountOutcome<P> => ({ record: prior ?? record, effects: [], unchanged: true });
  switch (fact.kind) {
    case 'usage': {
      if (record.usage) return unchanged();
      record.usage = true;
      const outcome: CountOutcome<P> = {
        record,
        effects: [{ at: fact.at, calls: record.admitted ? 0 : 1, chars: fact.chars }],
        unchanged: false,
      };
      if (!record.admitted) record.calledAt = fact.at;
      if (record.reservation) {
        outcome.settled = record.reservation;
        record.reservation = undefined;
      }
      return outcome;
    }
    case 'admission': {
      if (record.admitted) return unchanged();
      record.admitted = true;
      const outcome: CountOutcome<P> = {
        record,
        effects: [{ at: fact.at, calls: fact.hits, chars: 0 }],
        unchanged: false,
      };
      if (record.calledAt !== undefined) {
        outcome.effects.push({ at: record.calledAt, calls: -1, chars: 0 });
        record.calledAt = undefined;
      }
      // A usage event that came first has settled what the call used: nothing is left to reserve.
      if (fact.reserve && fact.reserve.chars > 0 && !record.usage && !record.released) {
        record.reservation = { chars: fact.reserve.chars, untilMs: fact.reserve.untilMs, at: fact.at };
        outcome.opened = record.reservation;
      }
      return outcome;
    }
    case 'release': {
      if (!record.reservation) return unchanged();
      const outcome: CountOutcome<P> = { record, effects: [], settled: record.reservation, unchanged: false };
      record.reservation = undefined;
      record.released = true;
      return outcome;
    }
  }
}

/**
 * The record a fact starts from, field by field with every field present, so that every record shares
 * one hidden class: a spread copy that gains a field (see the hot-path rule in eslint.config.mjs) or a
 * deleted field would give V8 a new one per call.
 */
function copyOf<P>(prior: CallRecord<P> | undefined): CallRecord<P> {
  return {
    admitted: prior?.admitted ?? false,
    usage: prior?.usage ?? false,
    calledAt: prior?.calledAt,
    reservation: prior?.reservation,
    released: prior?.released,
  };
}
