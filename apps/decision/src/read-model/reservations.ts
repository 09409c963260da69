import { Scope } from '@metergate/policy';
import { UsageStore } from './usage-store';

export interface Reservation {
  orgId: string;
  /** The call's id (the check's request id). */
  id: string;
  row: number;
  scopes: readonly Scope[];
  chars: number;
  untilMs: number;
}

/**
 * Characters held by admitted calls until their usage event settles them, they are released, or they
 * expire. Bounded: a replica full of open reservations admits no more checks that ask for one (see
 * DecideService), and one learnt from Kafka beyond the bound is not held (and counted as dropped).
 */
export class Reservations {
  private readonly open = new Map<number, Reservation>();
  /**
   * Keys of the open reservations by request id, for a release that does not name its organization: one
   * key, or a list in the rare case of a request id that several organizations use.
   */
  private readonly byId = new Map<string, number | number[]>();
  /** Keys in the order they expire (reservations are opened in time order, give or take a flush). */
  private expiring: number[] = [];
  private expiringHead = 0;
  dropped = 0;

  constructor(
    private readonly store: UsageStore,
    readonly capacity: number,
  ) {}

  get size(): number {
    return this.open.size;
  }

  get full(): boolean {
    return this.open.size >= this.capacity;
  }

  get(key: number): Reservation | undefined {
    return this.open.get(key);
  }

  /** The open reservations of a request id, whichever organization holds them. */
  byRequestId(id: string): Reservation[] {
    const keys = this.byId.get(id);
    if (keys === undefined) return [];
    return typeof keys === 'number' ? [this.open.get(keys)!] : keys.map((key) => this.open.get(key)!);
  }

  add(key: number, reservation: Reservation): boolean {
    if (this.open.has(key)) return true;
    if (this.full) {
      this.dropped += 1;
      return false;
    }
    this.open.set(key, reservation);
    const keys = this.byId.get(reservation.id);
    if (keys === undefined) this.byId.set(reservation.id, key);
    else this.byId.set(reservation.id, typeof keys === 'number' ? [keys, key] : [...keys, key]);
    this.expiring.push(key);
    this.store.reserve(reservation.row, reservation.scopes, reservation.chars);
    return true;
  }

  /** Settles (commits or releases) a reservation; returns what it held, or undefined if none was open. */
  settle(key: number): Reservation | undefined {
    const reservation = this.open.get(key);
    if (!reservation) return undefined;
    this.open.delete(key);
    const keys = this.byId.get(reservation.id)!;
    const left = typeof keys === 'number' ? [] : keys.filter((k) => k !== key);
    if (left.length === 0) this.byId.delete(reservation.id);
    else this.byId.set(reservation.id, left.length === 1 ? left[0] : left);
    this.store.reserve(reservation.row, reservation.scopes, -reservation.chars);
    return reservation;
  }

  /** Ends the reservations whose time is up; returns how many. */
  expire(nowMs: number): number {
    let ended = 0;
    const queue = this.expiring;
    let head = this.expiringHead;
    while (head < queue.length) {
      const key = queue[head];
      const reservation = this.open.get(key);
      if (reservation && reservation.untilMs > nowMs) break;
      if (reservation) {
        this.settle(key);
        ended += 1;
      }
      head += 1;
    }
    if (head > 1024 && head * 2 > queue.length) {
      this.expiring = queue.slice(head);
      head = 0;
    }
    this.expiringHead = head;
    return ended;
  }
}
