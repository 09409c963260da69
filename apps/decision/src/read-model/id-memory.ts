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

/** Words per slot of a generation: the hash's two halves, the flags and the answer. */
const WORDS = 4;
const FLAGS = 2;
const ANSWER = 3;

/**
 * One generation: an open-addressing table of 64-bit id hashes with the flags and 32 bits of answer
 * per id (the fingerprint of the check and its outcome), 16 bytes per slot, half full. A slot's words
 * sit together, so that a probe reads one cache line where a column per field read one per column.
 */
class Generation {
  readonly cells: Uint32Array;
  size = 0;
  /** Time of the newest id put in: what is forgotten when the generation is dropped. */
  newestMs = 0;

  constructor(
    readonly slots: number,
    readonly createdMs: number,
  ) {
    this.cells = new Uint32Array(slots * WORDS);
  }

  /** The slot holding the hash, or -(free slot + 1) when it is absent. */
  find(hi: number, lo: number): number {
    const cells = this.cells;
    const mask = this.slots - 1;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    for (;;) {
      const at = i * WORDS;
      if (cells[at + FLAGS] === EMPTY) return -(i + 1);
      if (cells[at] === hi && cells[at + 1] === lo) return i;
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
  /**
   * Where the last id looked up is: a check asks for an id's flags, its answer and then sets them,
   * and all three read this rather than probing every generation again. Valid while `changes` has
   * not moved (an id put in or a generation dropped can move or free slots).
   */
  private changes = 0;
  private readonly last = { hi: 0, lo: 0, changes: -1, generation: undefined as Generation | undefined };
  /** The slot holding the last id, or -(free slot + 1) in the newest generation when none held it. */
  private lastSlot = 0;

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

  /** Flags of the id (0: unknown). */
  flags(hash: IdHash): number {
    const generation = this.locate(hash);
    return generation ? generation.cells[this.lastSlot * WORDS + FLAGS] & OCCUPIED_MASK : 0;
  }

  /** The id's stored answer (0: none). */
  answer(hash: IdHash): number {
    const generation = this.locate(hash);
    return generation ? generation.cells[this.lastSlot * WORDS + ANSWER] : 0;
  }

  /** Sets the id's flags (and answer), in the generation that holds it or the newest one. */
  set(hash: IdHash, flags: number, answer: number | undefined, nowMs: number): void {
    const held = this.locate(hash);
    if (held) {
      const at = this.lastSlot * WORDS;
      held.cells[at + FLAGS] = flags | OCCUPIED;
      if (answer !== undefined) held.cells[at + ANSWER] = answer;
      return;
    }
    const newest = this.newest(nowMs);
    const free = this.last.changes === this.changes ? this.lastSlot : newest.find(hash.hi, hash.lo);
    const slot = -free - 1;
    const at = slot * WORDS;
    newest.cells[at] = hash.hi;
    newest.cells[at + 1] = hash.lo;
    newest.cells[at + FLAGS] = flags | OCCUPIED;
    newest.cells[at + ANSWER] = answer ?? 0;
    newest.size += 1;
    newest.newestMs = Math.max(newest.newestMs, nowMs);
    this.changes += 1;
    this.remember(hash, newest, slot);
  }

  /** Drops generations older than the retention. */
  expire(nowMs: number): void {
    while (this.generations.length > 0 && this.generations[0].newestMs < nowMs - this.options.retentionMs) {
      this.drop(nowMs);
    }
  }

  /** The generation holding the id (its slot in lastSlot), or undefined (the newest's free slot there). */
  private locate(hash: IdHash): Generation | undefined {
    const last = this.last;
    if (last.changes === this.changes && last.hi === hash.hi && last.lo === hash.lo) return last.generation;
    const generations = this.generations;
    const newest = generations.length - 1;
    for (let g = newest; g >= 0; g -= 1) {
      const slot = generations[g].find(hash.hi, hash.lo);
      if (slot >= 0) return this.remember(hash, generations[g], slot);
      if (g === newest) this.lastSlot = slot;
    }
    return this.remember(hash, undefined, this.lastSlot);
  }

  private remember(hash: IdHash, generation: Generation | undefined, slot: number): Generation | undefined {
    const last = this.last;
    last.hi = hash.hi;
    last.lo = hash.lo;
    last.changes = this.changes;
    last.generation = generation;
    this.lastSlot = slot;
    return generation;
  }

  private newest(nowMs: number): Generation {
    let newest = this.generations[this.generations.length - 1];
    const age = this.options.retentionMs / SLICES;
    if (!newest || newest.size >= this.perGeneration || nowMs - newest.createdMs >= age) {
      if (this.generations.length >= GENERATIONS) this.drop(nowMs);
      // Twice the ids a generation holds, so that probes stay short at half load.
      newest = new Generation(2 ** Math.ceil(Math.log2(this.perGeneration * 2)), nowMs);
      this.generations.push(newest);
      this.changes += 1;
    }
    return newest;
  }

  private drop(nowMs: number): void {
    const oldest = this.generations.shift()!;
    if (oldest.newestMs >= nowMs - this.options.retentionMs) this.dropped += oldest.size;
    this.forgottenUpToMs = Math.max(this.forgottenUpToMs, oldest.newestMs);
    this.changes += 1;
  }
}
