import { IdHash } from './id-hash';

/** What is remembered of one id, in one byte. */
export const IdFlags = {
  /** An admission counted the call. */
  admitted: 1,
  /** The call's usage event was counted. */
  usage: 2,
  /** Admitted here and published; its admission has not come back from Kafka yet. */
  own: 4,
  /** A check with this request id was answered here (allowed or not); see the stored answer. */
  decided: 8,
  /** The usage event counted the call itself (no admission yet): an admission moves it. */
  calledByUsage: 16,
  /** The call holds a reservation (see the read model's reservations). */
  reserved: 32,
  /** The reservation was released. */
  released: 64,
} as const;

export interface IdMemoryOptions {
  /** Ids held at most, over all generations: the memory's bound. */
  capacity: number;
  /** How long an id is kept when the capacity allows (the dedupe retention). */
  retentionMs: number;
}

/** A new generation starts every quarter of the retention; one more holds ids until they have aged out. */
const SLICES = 4;
const GENERATIONS = SLICES + 1;
const EMPTY = 0;
/** Bit 7 marks a slot used even when no other flag is set. */
const OCCUPIED = 128;
const OCCUPIED_MASK = OCCUPIED - 1;

/**
 * One generation: an open-addressing table of 64-bit id hashes with one byte of flags and 32 bits of
 * answer per id (the fingerprint of the check and its outcome), about 17 bytes per slot, half full.
 */
class Generation {
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  readonly flags: Uint8Array;
  readonly answer: Uint32Array;
  size = 0;
  /** Time of the newest id put in: what is forgotten when the generation is dropped. */
  newestMs = 0;

  constructor(
    readonly slots: number,
    readonly createdMs: number,
  ) {
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
    this.flags = new Uint8Array(slots);
    this.answer = new Uint32Array(slots);
  }

  /** The slot holding the hash, or -(free slot + 1) when it is absent. */
  find(hash: IdHash): number {
    const mask = this.slots - 1;
    let i = (hash.lo ^ Math.imul(hash.hi, 0x9e3779b1)) & mask;
    for (;;) {
      if (this.flags[i] === EMPTY) return -(i + 1);
      if (this.hi[i] === hash.hi && this.lo[i] === hash.lo) return i;
      i = (i + 1) & mask;
    }
  }
}

/**
 * The ids (request ids and call ids) this replica has seen, so that a call is counted once and a
 * retried check gets its first answer. Bounded: ids live in a few generations; the oldest is dropped
 * when the newest is full or when it is older than the retention. `forgottenUpToMs` says up to when
 * ids may have been forgotten: an unknown id with an older time may have been seen before, which the
 * read model then asks the projection about.
 */
export class IdMemory {
  private generations: Generation[] = [];
  private readonly perGeneration: number;
  private dropped = 0;
  forgottenUpToMs: number;

  constructor(
    private readonly options: IdMemoryOptions,
    /** Ids from before this time were never seen here (the process start, less what was warmed up). */
    knownSinceMs: number,
  ) {
    this.perGeneration = Math.max(1024, Math.floor(options.capacity / GENERATIONS));
    this.forgottenUpToMs = knownSinceMs;
  }

  get size(): number {
    return this.generations.reduce((sum, g) => sum + g.size, 0);
  }

  get capacity(): number {
    return this.perGeneration * GENERATIONS;
  }

  /** Ids dropped before their retention because the memory was full. */
  get droppedEarly(): number {
    return this.dropped;
  }

  /** Flags of the id (0: unknown); `answer` receives its stored answer when it is known. */
  flags(hash: IdHash): number {
    for (let g = this.generations.length - 1; g >= 0; g -= 1) {
      const generation = this.generations[g];
      const slot = generation.find(hash);
      if (slot >= 0) return generation.flags[slot] & OCCUPIED_MASK;
    }
    return 0;
  }

  answer(hash: IdHash): number {
    for (let g = this.generations.length - 1; g >= 0; g -= 1) {
      const generation = this.generations[g];
      const slot = generation.find(hash);
      if (slot >= 0) return generation.answer[slot];
    }
    return 0;
  }

  /** Sets the id's flags (and answer), in the generation that holds it or the newest one. */
  set(hash: IdHash, flags: number, answer: number | undefined, nowMs: number): void {
    for (let g = this.generations.length - 1; g >= 0; g -= 1) {
      const generation = this.generations[g];
      const slot = generation.find(hash);
      if (slot >= 0) {
        generation.flags[slot] = flags | OCCUPIED;
        if (answer !== undefined) generation.answer[slot] = answer;
        return;
      }
    }
    const newest = this.newest(nowMs);
    const slot = -newest.find(hash) - 1;
    newest.hi[slot] = hash.hi;
    newest.lo[slot] = hash.lo;
    newest.flags[slot] = flags | OCCUPIED;
    newest.answer[slot] = answer ?? 0;
    newest.size += 1;
    newest.newestMs = Math.max(newest.newestMs, nowMs);
  }

  /** Drops generations older than the retention. */
  expire(nowMs: number): void {
    while (this.generations.length > 0 && this.generations[0].newestMs < nowMs - this.options.retentionMs) {
      this.drop(nowMs);
    }
  }

  private newest(nowMs: number): Generation {
    let newest = this.generations[this.generations.length - 1];
    const age = this.options.retentionMs / SLICES;
    if (!newest || newest.size >= this.perGeneration || nowMs - newest.createdMs >= age) {
      if (this.generations.length >= GENERATIONS) this.drop(nowMs);
      // Twice the ids a generation holds, so that probes stay short at half load.
      newest = new Generation(2 ** Math.ceil(Math.log2(this.perGeneration * 2)), nowMs);
      this.generations.push(newest);
    }
    return newest;
  }

  private drop(nowMs: number): void {
    const oldest = this.generations.shift()!;
    if (oldest.newestMs >= nowMs - this.options.retentionMs) this.dropped += oldest.size;
    this.forgottenUpToMs = Math.max(this.forgottenUpToMs, oldest.newestMs);
  }
}
