import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';

const TAB = 9;
const NEWLINE = 10;
const BACKSLASH = 92;
const ZERO = 48;
const ASCII_MAX = 0x7f;
/** Names a pool holds at most: tiers, statuses, endpoints and models, not ids. */
const POOL_MAX = 256;

/**
 * One row of PostgreSQL's COPY text format, read in place from the stream's bytes: a snapshot of a
 * million organizations is several million rows, and building a JavaScript array of strings for each
 * (as a query result does) cost most of the load's time and memory. Fields are decoded only when read.
 */
export class CopyRow {
  buffer: Buffer = Buffer.alloc(0);
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  /** Splits the line [start, end) of `buffer` into its fields. */
  set(buffer: Buffer, start: number, end: number): void {
    this.buffer = buffer;
    this.starts.length = 0;
    this.ends.length = 0;
    let from = start;
    for (let i = start; i < end; i += 1) {
      if (buffer[i] === TAB) {
        this.starts.push(from);
        this.ends.push(i);
        from = i + 1;
      }
    }
    this.starts.push(from);
    this.ends.push(end);
  }

  /** Where a field's bytes start in `buffer`. */
  start(field: number): number {
    return this.starts[field];
  }

  /** Where a field's bytes end in `buffer` (exclusive). */
  end(field: number): number {
    return this.ends[field];
  }

  isNull(field: number): boolean {
    const start = this.starts[field];
    return (
      this.ends[field] - start === 2 && this.buffer[start] === BACKSLASH && this.buffer[start + 1] === 78
    );
  }

  /** An ASCII field (identifiers, names): no escapes to undo. */
  ascii(field: number): string {
    return this.buffer.toString('latin1', this.starts[field], this.ends[field]);
  }

  /** Any text field, its backslash escapes undone. */
  text(field: number): string {
    const raw = this.buffer.toString('utf8', this.starts[field], this.ends[field]);
    return raw.includes('\\') ? unescapeCopyText(raw) : raw;
  }

  /** Whether the field is exactly `ascii` (an ASCII literal), compared in place. */
  is(field: number, ascii: string): boolean {
    const start = this.starts[field];
    return this.ends[field] - start === ascii.length && this.matches(start, ascii);
  }

  /**
   * The field's text, taken from `pool` when it holds it: the few names that repeat over millions of
   * rows (tiers, statuses, endpoints, models) are compared in place rather than made again each time.
   */
  pooled(field: number, pool: string[]): string {
    const start = this.starts[field];
    const length = this.ends[field] - start;
    for (const name of pool) if (name.length === length && this.matches(start, name)) return name;
    const text = this.text(field);
    if (pool.length < POOL_MAX && isAscii(text)) pool.push(text);
    return text;
  }

  /** Whether the bytes from `start` are the characters of `ascii` (a byte past ASCII never is). */
  private matches(start: number, ascii: string): boolean {
    const buffer = this.buffer;
    for (let i = 0; i < ascii.length; i += 1) {
      const byte = buffer[start + i];
      if (byte !== ascii.charCodeAt(i) || byte > ASCII_MAX) return false;
    }
    return true;
  }

  /** A non-negative integer field (bigint counts, epoch milliseconds). */
  integer(field: number): number {
    const buffer = this.buffer;
    let value = 0;
    for (let i = this.starts[field]; i < this.ends[field]; i += 1) value = value * 10 + buffer[i] - ZERO;
    return value;
  }
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) > ASCII_MAX) return false;
  return true;
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

function unescapeCopyText(raw: string): string {
  return raw.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c);
}

/**
 * Runs `COPY (query) TO STDOUT` on the client (in its transaction) and calls `onRow` for each row,
 * with a CopyRow valid only during the call. Resolves to the number of rows. The COPY lasts as long
 * as the rows take to read: `timeoutMs` replaces the client's query_timeout for it (pg reads that
 * option from the query it is given).
 */
export async function copyRows(
  client: PoolClient,
  query: string,
  onRow: (row: CopyRow) => void,
  timeoutMs: number,
): Promise<number> {
  const stream = client.query(
    Object.assign(copyTo(`COPY (${query}) TO STDOUT`), { query_timeout: timeoutMs }),
  );
  const row = new CopyRow();
  let rows = 0;
  let rest: Buffer | undefined;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let end = buffer.indexOf(NEWLINE, start); end >= 0; end = buffer.indexOf(NEWLINE, start)) {
      row.set(buffer, start, end);
      onRow(row);
      rows += 1;
      start = end + 1;
    }
    rest = start < buffer.length ? buffer.subarray(start) : undefined;
  }
  return rows;
}
