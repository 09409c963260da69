import { Scope } from '@metergate/policy';
import { UsageStore } from './usage-store';

/** Entries the expiry queue may hold beyond what it needs before it is compacted. */
const COMPACT_SLACK = 1024;

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
 *
 * One map, by request id, finds a call's reservation and the reservations a release names by id alone:
 * a reserving check pays for one lookup and one insert.
 */
export class Reservations {
  /** Open reservations by request id: one, or a list in the rare case of an id several organizations use. */
  private readonly byId = new Map<string, Reservation | Reservation[]>();
  private count = 0;
  /** Reservations in the order they expire (opened in time order, give or take a flush), settled ones too. */
  private expiring: Reservation[] = [];
  private expiringHead = 0;
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
  get(orgId: string, id: string): Reservation | undefined {
    return ofOrg(this.byId.get(id), orgId);
  }

  /** The open reservations of a request id, whichever organization holds them. */
  byRequestId(id: string): Reservation[] {
    const held = this.byId.get(id);
    if (held === undefined) return [];
    return Array.isArray(held) ? held.slice() : [held];
  }

  /** Holds a reservation, unless its call holds one already; false when full (then dropped). */
  add(reservation: Reservation): boolean {
    const held = this.byId.get(reservation.id);
    if (ofOrg(held, reservation.orgId) !== undefined) return true;
    if (this.full) {
      this.dropped += 1;
      return false;
    }
    if (held === undefined) this.byId.set(reservation.id, reservation);
    else this.byId.set(reservation.id, Array.isArray(held) ? [...held, reservation] : [held, reservation]);
    this.count += 1;
    this.expiring.push(reservation);
    this.store.reserve(reservation.row, reservation.scopes, reservation.chars);
    return true;
  }

  /** Settles (commits or releases) a call's reservation; returns what it held, or undefined if none was open. */
  settle(orgId: string, id: string): Reservation | undefined {
    const held = this.byId.get(id);
    const reservation = ofOrg(held, orgId);
    if (!held || !reservation) return undefined;
    const left = Array.isArray(held) ? held.filter((r) => r !== reservation) : [];
    if (left.length === 0) this.byId.delete(id);
    else this.byId.set(id, left.length === 1 ? left[0] : left);
    this.count -= 1;
    this.store.reserve(reservation.row, reservation.scopes, -reservation.chars);
    return reservation;
  }

  /** Ends the reservations whose time is up; returns how many. */
  expire(nowMs: number): number {
    let ended = 0;
    const queue = this.expiring;
    let head = this.expiringHead;
    while (head < queue.length) {
      const reservation = queue[head];
      // Settled ones are passed over: the one held under its call now, if any, is a later one.
      const open = this.get(reservation.orgId, reservation.id) === reservation;
      if (open && reservation.untilMs > nowMs) break;
      if (open) {
        this.settle(reservation.orgId, reservation.id);
        ended += 1;
      }
      head += 1;
    }
    this.expiringHead = head;
    this.compact();
    return ended;
  }

  /**
   * Drops what the expiry queue no longer needs: the passed head and, once they outnumber the open
   * ones, the settled reservations behind it (calls commit long before their reservation's end, so
   * without this the queue would hold every call of the last reservationTtlSeconds).
   */
  private compact(): void {
    const queue = this.expiring;
    const head = this.expiringHead;
    const queued = queue.length - head;
    if (queued > 2 * this.count + COMPACT_SLACK) {
      this.expiring = queue.filter((r, i) => i >= head && this.get(r.orgId, r.id) === r);
      this.expiringHead = 0;
    } else if (head > COMPACT_SLACK && head * 2 > queue.length) {
      this.expiring = queue.slice(head);
      this.expiringHead = 0;
    }
  }
}

/** The organization's reservation among those held under one request id. */
function ofOrg(held: Reservation | Reservation[] | undefined, orgId: string): Reservation | undefined {
  if (held === undefined) return undefined;
  if (!Array.isArray(held)) return held.orgId === orgId ? held : undefined;
  return held.find((r) => r.orgId === orgId);
}
