import { Scope } from '@metergate/policy';
import { IdHash, hashId } from './id-hash';
import { UsageStore } from './usage-store';

/** Entries the expiry queue may hold beyond what it needs before it is compacted. */
const COMPACT_SLACK = 1024;
const MIN_SLOTS = 1024;
const NO_ORG = '';

/**
 * A slot's 32 bytes: the request id's hash (two words), the organization's row plus one (0: a free
 * slot), the index of its scope list, its serial, its characters, and its end as a float64.
 */
const WORDS = 8;
const HI = 0;
const LO = 1;
const ROW = 2;
const SCOPES = 3;
const SERIAL = 4;
const CHARS = 5;
/** The end's index in the float64 view: the slot's last two words. */
const UNTIL = 3;

/** What an open reservation holds. */
export interface HeldReservation {
  chars: number;
  untilMs: number;
}

/**
 * Characters held by admitted calls until their usage event settles them, they are released, or they
 * expire. Bounded: a replica full of open reservations admits no more checks that ask for one (see
 * DecideService), and one learnt from Kafka beyond the bound is not held (and counted as dropped).
 *
 * Held in one typed array, not objects: an open-addressing table (linear probing, at most half full)
 * keyed by the request id's 64-bit hash and the organization's row, a slot's fields side by side so
 * that finding and holding a reservation reads and writes one cache line. Holding a reservation costs
 * a probe and a few stores, and hundreds of thousands of open ones are no work for the garbage
 * collector, where a Map of objects made every check pay for an insert and every collection of the old
 * generation for the reservations. A slot's place follows from the request id alone, so the
 * reservations of one id (ids are unique per organization only) share one run of the table, where a
 * release naming no organization finds them. Equal 64-bit hashes of two request ids would make them one
 * call, as in the id memory. Characters fit a word: a check reserves at most 1,000,000,000.
 */
export class Reservations {
  private slots = MIN_SLOTS;
  private cells = new Uint32Array(MIN_SLOTS * WORDS);
  private ends = new Float64Array(this.cells.buffer);
  private count = 0;
  private nextSerial = 1;
  /** The policy's scope lists reservations are held in (one per endpoint and model counted apart). */
  private readonly scopeSets: (readonly Scope[])[] = [];
  private readonly hash: IdHash = { hi: 0, lo: 0 };
  private readonly queue = new ExpiryQueue();
  dropped = 0;

  constructor(
    private readonly store: UsageStore,
    readonly capacity: number,
  ) {}

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count >= this.capacity;
  }

  /** The organization's open reservation for the call, if any. */
  get(row: number, id: string): HeldReservation | undefined {
    const slot = this.find(row, hashId(NO_ORG, id, this.hash));
    if (slot < 0) return undefined;
    return { chars: this.cells[slot * WORDS + CHARS], untilMs: this.ends[slot * (WORDS / 2) + UNTIL] };
  }

  /** The rows of the organizations holding an open reservation under a request id. */
  rowsHolding(id: string): number[] {
    const { hi, lo } = hashId(NO_ORG, id, this.hash);
    const cells = this.cells;
    const rows: number[] = [];
    const mask = this.slots - 1;
    for (let i = this.home(hi, lo); cells[i * WORDS + ROW] !== 0; i = (i + 1) & mask) {
      const at = i * WORDS;
      if (cells[at + HI] === hi && cells[at + LO] === lo) rows.push(cells[at + ROW] - 1);
    }
    return rows;
  }

  /** Holds a reservation, unless its call holds one already; false when full (then dropped). */
  add(row: number, id: string, scopes: readonly Scope[], chars: number, untilMs: number): boolean {
    const hash = hashId(NO_ORG, id, this.hash);
    let slot = this.find(row, hash);
    if (slot >= 0) return true;
    if (this.full) {
      this.dropped += 1;
      return false;
    }
    if ((this.count + 1) * 2 > this.slots) {
      this.rehash(this.slots * 2);
      slot = this.find(row, hash);
    }
    slot = -slot - 1;
    const serial = this.nextSerial;
    this.nextSerial = (serial + 1) >>> 0 || 1;
    const at = slot * WORDS;
    const cells = this.cells;
    cells[at + HI] = hash.hi;
    cells[at + LO] = hash.lo;
    cells[at + ROW] = row + 1;
    cells[at + SCOPES] = this.scopeSetOf(scopes);
    cells[at + SERIAL] = serial;
    cells[at + CHARS] = chars;
    this.ends[slot * (WORDS / 2) + UNTIL] = untilMs;
    this.count += 1;
    this.queue.push(hash.hi, hash.lo, row, serial);
    this.store.reserve(row, scopes, chars);
    return true;
  }

  /** Settles (commits or releases) a call's reservation; false when none was open. */
  settle(row: number, id: string): boolean {
    const slot = this.find(row, hashId(NO_ORG, id, this.hash));
    if (slot < 0) return false;
    this.remove(slot);
    return true;
  }

  /** Ends the reservations whose time is up; returns how many. */
  expire(nowMs: number): number {
    let ended = 0;
    const queue = this.queue;
    const hash = this.hash;
    while (queue.length > 0) {
      hash.hi = queue.hi[queue.head];
      hash.lo = queue.lo[queue.head];
      const slot = this.find(queue.row[queue.head], hash);
      // Settled ones are passed over: the one held under its call now, if any, is a later one.
      const open = slot >= 0 && this.cells[slot * WORDS + SERIAL] === queue.serial[queue.head];
      if (open && this.ends[slot * (WORDS / 2) + UNTIL] > nowMs) break;
      if (open) {
        this.remove(slot);
        ended += 1;
      }
      queue.shift();
    }
    this.compact();
    return ended;
  }

  /** The slot holding (row, hash), or -(free slot + 1) where it would go. */
  private find(row: number, hash: IdHash): number {
    const cells = this.cells;
    const mask = this.slots - 1;
    const { hi, lo } = hash;
    const held = row + 1;
    let i = this.home(hi, lo);
    for (;;) {
      const at = i * WORDS;
      const occupant = cells[at + ROW];
      if (occupant === 0) return -(i + 1);
      if (occupant === held && cells[at + HI] === hi && cells[at + LO] === lo) return i;
      i = (i + 1) & mask;
    }
  }

  private home(hi: number, lo: number): number {
    return (lo ^ Math.imul(hi, 0x9e3779b1)) & (this.slots - 1);
  }

  /** Frees a slot, moving back the entries after it that their own place allows (no tombstones). */
  private remove(slot: number): void {
    const cells = this.cells;
    const at = slot * WORDS;
    this.store.reserve(cells[at + ROW] - 1, this.scopeSets[cells[at + SCOPES]], -cells[at + CHARS]);
    this.count -= 1;
    const mask = this.slots - 1;
    let free = slot;
    for (let i = (slot + 1) & mask; cells[i * WORDS + ROW] !== 0; i = (i + 1) & mask) {
      const home = this.home(cells[i * WORDS + HI], cells[i * WORDS + LO]);
      // The entry at i may fill the gap unless its place lies cyclically in (free, i].
      const stays = free <= i ? free < home && home <= i : free < home || home <= i;
      if (stays) continue;
      cells.copyWithin(free * WORDS, i * WORDS, (i + 1) * WORDS);
      free = i;
    }
    cells[free * WORDS + ROW] = 0;
  }

  private rehash(slots: number): void {
    const was = this.cells;
    const wasSlots = this.slots;
    this.slots = slots;
    this.cells = new Uint32Array(slots * WORDS);
    this.ends = new Float64Array(this.cells.buffer);
    const mask = slots - 1;
    for (let from = 0; from < wasSlots; from += 1) {
      const at = from * WORDS;
      if (was[at + ROW] === 0) continue;
      let to = this.home(was[at + HI], was[at + LO]);
      while (this.cells[to * WORDS + ROW] !== 0) to = (to + 1) & mask;
      this.cells.set(was.subarray(at, at + WORDS), to * WORDS);
    }
  }

  private scopeSetOf(scopes: readonly Scope[]): number {
    const known = this.scopeSets.indexOf(scopes);
    if (known >= 0) return known;
    if (this.scopeSets.length > 0xffff) throw new Error('more than 65,536 scope lists hold reservations');
    return this.scopeSets.push(scopes) - 1;
  }

  /**
   * Drops what the expiry queue no longer needs: once they outnumber the open reservations, the
   * settled ones in it (calls commit long before their reservation's end, so without this the queue
   * would hold every call of the last reservationTtlSeconds).
   */
  private compact(): void {
    const queue = this.queue;
    if (queue.length <= 2 * this.count + COMPACT_SLACK) return;
    const hash = this.hash;
    queue.keep((hi, lo, row, serial) => {
      hash.hi = hi;
      hash.lo = lo;
      const slot = this.find(row, hash);
      return slot >= 0 && this.cells[slot * WORDS + SERIAL] === serial;
    });
  }
}

/**
 * Reservations in the order they were opened (their ends are in that order, give or take a flush), as
 * columns: the request id's hash, the row and the serial that find each one in the table.
 */
class ExpiryQueue {
  hi = new Uint32Array(MIN_SLOTS);
  lo = new Uint32Array(MIN_SLOTS);
  row = new Int32Array(MIN_SLOTS);
  serial = new Uint32Array(MIN_SLOTS);
  head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(hi: number, lo: number, row: number, serial: number): void {
    if (this.tail === this.hi.length) this.makeRoom();
    const at = this.tail;
    this.hi[at] = hi;
    this.lo[at] = lo;
    this.row[at] = row;
    this.serial[at] = serial;
    this.tail = at + 1;
  }

  shift(): void {
    this.head += 1;
  }

  /** Keeps the entries `open` accepts, in order, from the start of the columns. */
  keep(open: (hi: number, lo: number, row: number, serial: number) => boolean): void {
    let to = 0;
    for (let from = this.head; from < this.tail; from += 1) {
      if (!open(this.hi[from], this.lo[from], this.row[from], this.serial[from])) continue;
      this.hi[to] = this.hi[from];
      this.lo[to] = this.lo[from];
      this.row[to] = this.row[from];
      this.serial[to] = this.serial[from];
      to += 1;
    }
    this.head = 0;
    this.tail = to;
  }

  /** Moves the entries to the start of the columns, and doubles them when that frees too little. */
  private makeRoom(): void {
    const length = this.length;
    const size = this.hi.length;
    if (length * 2 > size) {
      const grow = <T extends Uint32Array | Int32Array>(column: T, make: (n: number) => T): T => {
        const grown = make(size * 2);
        grown.set(column.subarray(this.head, this.tail));
        return grown;
      };
      this.hi = grow(this.hi, (n) => new Uint32Array(n));
      this.lo = grow(this.lo, (n) => new Uint32Array(n));
      this.row = grow(this.row, (n) => new Int32Array(n));
      this.serial = grow(this.serial, (n) => new Uint32Array(n));
    } else {
      this.hi.copyWithin(0, this.head, this.tail);
      this.lo.copyWithin(0, this.head, this.tail);
      this.row.copyWithin(0, this.head, this.tail);
      this.serial.copyWithin(0, this.head, this.tail);
    }
    this.head = 0;
    this.tail = length;
  }
}
