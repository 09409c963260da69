import {
  CallFact,
  CallRecord,
  CompiledPolicy,
  CountEffect,
  CountOutcome,
  countCall,
  recordUsage,
} from '@metergate/policy';
import { IdHash, hashId } from './id-hash';
import { IdFlags, IdMemory } from './id-memory';
import { Reservations } from './reservations';
import { TopicIndex } from './snapshot-offsets';
import { UsageStore } from './usage-store';

/** Where a call counts: endpoint index, model slot and time. */
export interface Place {
  endpoint: number;
  slot: number;
  atMs: number;
}

export interface FactPosition {
  topic: TopicIndex;
  partition: number;
  offset: number;
}

/**
 * A fact whose id this replica did not know but may have forgotten (its time is older than what the
 * id memory still holds): counted as new, and checked against the projection once the projector has
 * passed it. Its effects are kept so that a duplicate can be taken back.
 */
export interface UncertainFact {
  row: number;
  orgId: string;
  id: string;
  kind: 'usage' | 'admission';
  position: FactPosition;
  effects: CountEffect<Place>[];
  /** Whether it opened a reservation (taken back too when it was a duplicate). */
  reserved: boolean;
}

/** A reservation's own place does not matter once it is held: its scopes are. */
const NOWHERE: Place = { endpoint: -1, slot: 0, atMs: 0 };

/** The flags that say what was counted of an id (as opposed to what was answered for it). */
const COUNTED = IdFlags.admitted | IdFlags.usage | IdFlags.reserved | IdFlags.released;

/**
 * Applies the shared counting rule (countCall) to this replica's store: the id memory holds each
 * call's record in a few bits, the reservations what it holds, and the store what it counted.
 */
export class CallCounter {
  private readonly hash: IdHash = { hi: 0, lo: 0 };
  /** The ids `hash` is of: a check asks about its id, then counts it, and hashes it once. */
  private hashedOrg = '';
  private hashedId = '';
  private uncertainFacts: UncertainFact[] = [];
  uncertainDropped = 0;

  constructor(
    private readonly policy: CompiledPolicy,
    private readonly usage: UsageStore,
    readonly ids: IdMemory,
    readonly reservations: Reservations,
    private readonly maxUncertain: number,
    /** The organization's row, -1 when it has none: looked up only for facts that need it. */
    private readonly rowOf: (orgId: string) => number,
  ) {}

  get uncertain(): readonly UncertainFact[] {
    return this.uncertainFacts;
  }

  /** Puts facts back that could not be checked (PostgreSQL unreachable), ahead of the others. */
  requeue(facts: UncertainFact[]): void {
    this.uncertainFacts = facts.concat(this.uncertainFacts);
  }

  /** Takes the uncertain facts `ready` says can be checked now; the others stay queued. */
  takeUncertain(ready: (fact: UncertainFact) => boolean): UncertainFact[] {
    const taken: UncertainFact[] = [];
    const kept: UncertainFact[] = [];
    for (const fact of this.uncertainFacts) (ready(fact) ? taken : kept).push(fact);
    this.uncertainFacts = kept;
    return taken;
  }

  /**
   * Counts a fact read from Kafka. `answer` is the fingerprint of the check an admission stands for,
   * so that a retry of that check on this replica is recognized.
   */
  applyFact(
    row: number,
    orgId: string,
    id: string,
    fact: CallFact<Place> & { kind: 'usage' | 'admission' },
    position: FactPosition,
    nowMs: number,
    answer?: number,
  ): void {
    const hash = this.hashOf(orgId, id);
    const flags = this.ids.flags(hash);
    if (fact.kind === 'admission' && flags & IdFlags.own) {
      // An admission of a call admitted here (its own records are passed over before decoding, so this
      // is a copy under the same id): counted when it was made.
      this.ids.set(hash, flags & ~IdFlags.own, undefined, nowMs);
      return;
    }
    const outcome = this.count(row, id, hash, flags, fact, nowMs, answer);
    if (outcome.unchanged || flags !== 0 || fact.at.atMs > this.ids.forgottenUpToMs) return;
    if (this.uncertainFacts.length >= this.maxUncertain) {
      this.uncertainDropped += 1;
      return;
    }
    this.uncertainFacts.push({
      row,
      orgId,
      id,
      kind: fact.kind,
      position,
      effects: outcome.effects,
      reserved: outcome.opened !== undefined,
    });
  }

  /**
   * Counts an admission made here; it is published and, when it comes back from Kafka, not counted
   * again. `answer` is the check's fingerprint and outcome, for retries.
   */
  admitHere(
    row: number,
    orgId: string,
    id: string,
    fact: CallFact<Place> & { kind: 'admission' },
    nowMs: number,
    answer: number,
  ): void {
    const hash = this.hashOf(orgId, id);
    const flags = this.ids.flags(hash);
    this.count(row, id, hash, flags | IdFlags.own | IdFlags.decided, fact, nowMs, answer);
  }

  /**
   * Records what a fact from before the snapshot did to its call's record, without counting anything
   * (the snapshot holds its effects): the id memory then knows calls of the last minutes after a
   * restart. The organization's row is looked up only for a call that holds a reservation.
   */
  learn(orgId: string, id: string, fact: CallFact<Place>, nowMs: number, answer?: number): void {
    const hash = this.hashOf(orgId, id);
    const flags = this.ids.flags(hash);
    const row = flags & IdFlags.reserved ? this.rowOf(orgId) : -1;
    const outcome = countCall(flags & COUNTED ? this.recordOf(flags, row, id, fact) : undefined, fact);
    if (!outcome.unchanged) this.ids.set(hash, this.flagsOf(flags, outcome.record), answer, nowMs);
  }

  /**
   * A reservation a snapshot holds: its call was admitted (counted in the snapshot) and is not settled
   * yet, so its usage event or a release settles it here.
   */
  holdReservation(
    row: number,
    orgId: string,
    id: string,
    scopes: readonly number[],
    chars: number,
    untilMs: number,
    nowMs: number,
  ): void {
    const hash = this.hashOf(orgId, id);
    this.reservations.add(row, id, scopes, chars, untilMs);
    this.ids.set(hash, this.ids.flags(hash) | IdFlags.admitted | IdFlags.reserved, undefined, nowMs);
  }

  /** Remembers the answer to a check that counted nothing (denied), for its retries. */
  remember(orgId: string, id: string, answer: number, nowMs: number): void {
    const hash = this.hashOf(orgId, id);
    this.ids.set(hash, this.ids.flags(hash) | IdFlags.decided, answer, nowMs);
  }

  /** Flags of an id: what was counted and answered for it. */
  lookup(orgId: string, id: string): number {
    return this.ids.flags(this.hashOf(orgId, id));
  }

  /** The answer stored for an id (0: none). */
  answerOf(orgId: string, id: string): number {
    return this.ids.answer(this.hashOf(orgId, id));
  }

  /** Releases a call's reservation; returns the characters released, or undefined when it held none. */
  release(row: number, orgId: string, id: string, nowMs: number): number | undefined {
    const hash = this.hashOf(orgId, id);
    const flags = this.ids.flags(hash);
    const outcome = this.count(row, id, hash, flags, { kind: 'release' }, nowMs, undefined);
    return outcome.settled?.chars;
  }

  /** Takes back what an uncertain fact counted, once the projection showed it was a duplicate. */
  takeBack(fact: UncertainFact): void {
    this.usage.row = fact.row;
    for (const e of fact.effects) this.record(e.at, -e.calls, -e.chars);
    if (fact.reserved) this.reservations.settle(fact.row, fact.id);
  }

  /** Adds calls at a place (a correction once the projection said how a call was counted). */
  correct(row: number, at: Place, calls: number): void {
    this.usage.row = row;
    this.record(at, calls, 0);
  }

  private count(
    row: number,
    id: string,
    hash: IdHash,
    flags: number,
    fact: CallFact<Place>,
    nowMs: number,
    answer: number | undefined,
  ): CountOutcome<Place> {
    const outcome = countCall(flags & COUNTED ? this.recordOf(flags, row, id, fact) : undefined, fact);
    if (outcome.unchanged) return outcome;
    this.usage.row = row;
    for (const e of outcome.effects) this.record(e.at, e.calls, e.chars);
    if (outcome.settled) this.reservations.settle(row, id);
    if (outcome.opened) {
      const { at, chars, untilMs } = outcome.opened;
      this.reservations.add(row, id, this.policy.scopesOf(at.endpoint, at.slot), chars, untilMs);
    }
    this.ids.set(hash, this.flagsOf(flags, outcome.record), answer, nowMs);
    return outcome;
  }

  private hashOf(orgId: string, id: string): IdHash {
    if (id !== this.hashedId || orgId !== this.hashedOrg) {
      hashId(orgId, id, this.hash);
      this.hashedOrg = orgId;
      this.hashedId = id;
    }
    return this.hash;
  }

  private flagsOf(flags: number, record: CallRecord<Place>): number {
    let next = flags & (IdFlags.own | IdFlags.decided);
    if (record.admitted) next |= IdFlags.admitted;
    if (record.usage) next |= IdFlags.usage;
    if (record.calledAt !== undefined) next |= IdFlags.calledByUsage;
    if (record.reservation) next |= IdFlags.reserved;
    if (record.released) next |= IdFlags.released;
    return next;
  }

  /**
   * The call's record from its flags. Where a usage event counted the call is not kept: an admission
   * that arrives later counts its hits less that one call at its own place, which moves the call by no
   * more than the call's own duration.
   */
  private recordOf(flags: number, row: number, id: string, fact: CallFact<Place>): CallRecord<Place> {
    const record: CallRecord<Place> = {
      admitted: (flags & IdFlags.admitted) !== 0,
      usage: (flags & IdFlags.usage) !== 0,
    };
    if (flags & IdFlags.calledByUsage && fact.kind === 'admission') record.calledAt = fact.at;
    if (flags & IdFlags.released) record.released = true;
    const reservation = flags & IdFlags.reserved && row >= 0 ? this.reservations.get(row, id) : undefined;
    if (reservation)
      record.reservation = { chars: reservation.chars, untilMs: reservation.untilMs, at: NOWHERE };
    return record;
  }

  private record(at: Place, calls: number, chars: number): void {
    recordUsage(this.policy, this.usage, at.endpoint, at.slot, at.atMs, calls, chars);
  }
}
