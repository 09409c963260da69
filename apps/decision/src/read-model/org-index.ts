import { randomInt } from 'node:crypto';

const EMPTY = 0;
const MIN_SLOTS = 1024;
const MIN_ARENA = 64 * 1024;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Organization ids and their rows (0, 1, 2... in the order first seen), for millions of them: the ids'
 * bytes in one arena, found through an open-addressing table of rows. The snapshot looks an id up
 * straight from the bytes PostgreSQL sent, without making a string per row, and an id costs its bytes
 * and about 20 more, where a Map of strings costs an entry and a string (several times that, and work
 * for every collection of the old generation).
 *
 * Ids are compared as UTF-8 bytes; a string id of ASCII characters (every valid id) is hashed and
 * compared character by character, any other through its UTF-8 encoding. The hash is seeded per index,
 * as V8 seeds its own, so that where an id lands is not known outside the process: new organizations
 * are added from checks, and ids picked offline to crowd one run of the table would slow every lookup.
 */
export class OrgIndex {
  private arena = Buffer.alloc(MIN_ARENA);
  private arenaUsed = 0;
  /** Where row r's id starts in the arena; it ends where row r + 1's starts. */
  private starts = new Int32Array(MIN_SLOTS + 1);
  private hashes = new Uint32Array(MIN_SLOTS);
  /** Row + 1 per slot, EMPTY for none; at most half full. */
  private slots = new Int32Array(MIN_SLOTS * 2);
  private count = 0;
  private readonly seed = randomInt(2 ** 32 - 1);

  get size(): number {
    return this.count;
  }

  /** The id's row, or -1 when it is not held. */
  rowOf(id: string): number {
    const hash = hashAscii(id, this.seed);
    if (hash < 0) {
      const bytes = Buffer.from(id, 'utf8');
      return this.rowOfBytes(bytes, 0, bytes.length);
    }
    const found = this.findString(hash, id);
    return found >= 0 ? found : -1;
  }

  /** The row of the id in buffer[start, end), or -1 when it is not held. */
  rowOfBytes(buffer: Buffer, start: number, end: number): number {
    const found = this.findBytes(hashBytes(buffer, start, end, this.seed), buffer, start, end);
    return found >= 0 ? found : -1;
  }

  /** The id held at a row. */
  idOf(row: number): string {
    return this.arena.toString('utf8', this.starts[row], this.starts[row + 1]);
  }

  /** The id's row, added as the next row when it is new. */
  add(id: string): number {
    const hash = hashAscii(id, this.seed);
    if (hash < 0) {
      const bytes = Buffer.from(id, 'utf8');
      return this.addBytes(bytes, 0, bytes.length);
    }
    const found = this.findString(hash, id);
    if (found >= 0) return found;
    const at = this.reserveBytes(id.length);
    this.arena.write(id, at, 'latin1');
    return this.insert(-found - 1, hash, at + id.length);
  }

  /** The row of the id in buffer[start, end), added as the next row when it is new. */
  addBytes(buffer: Buffer, start: number, end: number): number {
    const hash = hashBytes(buffer, start, end, this.seed);
    const found = this.findBytes(hash, buffer, start, end);
    if (found >= 0) return found;
    const at = this.reserveBytes(end - start);
    buffer.copy(this.arena, at, start, end);
    return this.insert(-found - 1, hash, at + end - start);
  }

  /** The row of an ASCII id, or -(free slot + 1) when it is not held. */
  private findString(hash: number, id: string): number {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (; this.slots[slot] !== EMPTY; slot = (slot + 1) & mask) {
      const row = this.slots[slot] - 1;
      if (this.hashes[row] === hash && this.equalsString(row, id)) return row;
    }
    return -(slot + 1);
  }

  /** The row of the id in buffer[start, end), or -(free slot + 1) when it is not held. */
  private findBytes(hash: number, buffer: Buffer, start: number, end: number): number {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (; this.slots[slot] !== EMPTY; slot = (slot + 1) & mask) {
      const row = this.slots[slot] - 1;
      if (this.hashes[row] === hash && this.equalsBytes(row, buffer, start, end)) return row;
    }
    return -(slot + 1);
  }

  /** Makes room for an id of `length` bytes at the arena's end; returns where it goes. */
  private reserveBytes(length: number): number {
    if (this.arenaUsed + length > this.arena.length) {
      const grown = Buffer.alloc(Math.max(this.arena.length * 2, this.arenaUsed + length));
      this.arena.copy(grown, 0, 0, this.arenaUsed);
      this.arena = grown;
    }
    return this.arenaUsed;
  }

  /** Adds the next row, whose id was just written to the arena up to `end`, at the free `slot`. */
  private insert(slot: number, hash: number, end: number): number {
    const row = this.count;
    if (row >= this.hashes.length) {
      const hashes = new Uint32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const starts = new Int32Array(hashes.length + 1);
      starts.set(this.starts);
      this.starts = starts;
    }
    this.starts[row] = this.arenaUsed;
    this.starts[row + 1] = end;
    this.arenaUsed = end;
    this.hashes[row] = hash;
    this.slots[slot] = row + 1;
    this.count += 1;
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    return row;
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let row = 0; row < this.count; row += 1) {
      let slot = this.hashes[row] & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = row + 1;
    }
    this.slots = slots;
  }

  private equalsString(row: number, id: string): boolean {
    const start = this.starts[row];
    if (this.starts[row + 1] - start !== id.length) return false;
    const arena = this.arena;
    for (let i = 0; i < id.length; i += 1) if (arena[start + i] !== id.charCodeAt(i)) return false;
    return true;
  }

  private equalsBytes(row: number, buffer: Buffer, start: number, end: number): boolean {
    const at = this.starts[row];
    const length = end - start;
    if (this.starts[row + 1] - at !== length) return false;
    const arena = this.arena;
    for (let i = 0; i < length; i += 1) if (arena[at + i] !== buffer[start + i]) return false;
    return true;
  }
}

/** FNV-1a over the id's characters, finished with murmur3's mix; -1 when one is not ASCII. */
function hashAscii(id: string, seed: number): number {
  let h = FNV_OFFSET ^ seed;
  for (let i = 0; i < id.length; i += 1) {
    const c = id.charCodeAt(i);
    if (c > 0x7f) return -1;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return finish(h);
}

/** The same hash over bytes: equal to hashAscii's for an ASCII id's bytes. */
function hashBytes(buffer: Buffer, start: number, end: number, seed: number): number {
  let h = FNV_OFFSET ^ seed;
  for (let i = start; i < end; i += 1) h = Math.imul(h ^ buffer[i], FNV_PRIME);
  return finish(h);
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
