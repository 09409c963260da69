import { ActiveApiKey } from '@metergate/contracts';
import { LimitOverride } from '@metergate/policy';
import { HeldAccess } from './access-event.decoder';
import { OrgIndex } from './org-index';

/** An organization's access as a check reads it (the version only orders updates). */
export type AccessView = Omit<HeldAccess, 'version' | 'apiKeys'>;

/** An active API key found by its digest: whose it is and what for. */
export interface KeyHolder {
  row: number;
  orgId: string;
  keyId: string;
  purpose: ActiveApiKey['purpose'];
}

const NO_OVERRIDES: Record<string, LimitOverride> = Object.freeze({});

/**
 * Every organization this replica knows, as rows: an index of ids to rows and per-row columns, so that
 * a million organizations cost well under a hundred bytes each. Access states without overrides or own
 * models (nearly all of them) are shared objects, one per tier and status.
 */
export class OrgDirectory {
  private readonly rows = new OrgIndex();
  private readonly access: (AccessView | undefined)[] = [];
  private versions = new Int32Array(1024);
  /** The shared views, a handful (one per tier and status): found by comparing, not by a key built per row. */
  private readonly shared: AccessView[] = [];
  /** Active keys by SHA-256 digest (hex): a presented key is found without PostgreSQL. */
  private readonly keys = new Map<string, KeyHolder>();
  /** The digests each organization's keys hold, to take them out when its keys change. */
  private readonly digestsOf = new Map<number, string[]>();

  constructor(private readonly maxOrgs: number) {}

  get size(): number {
    return this.rows.size;
  }

  /** The organization's row, or -1 when it was never seen. */
  rowOf(orgId: string): number {
    return this.rows.rowOf(orgId);
  }

  /** The id of the organization at a row. */
  idOf(row: number): string {
    return this.rows.idOf(row);
  }

  /** The organization's row, made when it is new; -1 when the directory is full. */
  ensure(orgId: string): number {
    if (this.rows.size >= this.maxOrgs) return this.rows.rowOf(orgId);
    return this.added(this.rows.add(orgId));
  }

  /** ensure() for an id read as bytes (a snapshot's field): no string is made for it. */
  ensureBytes(buffer: Buffer, start: number, end: number): number {
    if (this.rows.size >= this.maxOrgs) return this.rows.rowOfBytes(buffer, start, end);
    return this.added(this.rows.addBytes(buffer, start, end));
  }

  /** Gives a row the index just made its columns. */
  private added(row: number): number {
    if (row === this.access.length) {
      this.access.push(undefined);
      if (row >= this.versions.length) {
        const grown = new Int32Array(this.versions.length * 2);
        grown.set(this.versions);
        this.versions = grown;
      }
    }
    return row;
  }

  accessOf(row: number): AccessView | undefined {
    return row < 0 ? undefined : this.access[row];
  }

  versionOf(row: number): number {
    return this.versions[row];
  }

  get activeKeys(): number {
    return this.keys.size;
  }

  /** The active key with this digest, if any. */
  keyOf(digest: string): KeyHolder | undefined {
    return this.keys.get(digest);
  }

  /**
   * Applies an access state when it is newer than the one held; returns whether it was applied.
   * `orgId` is asked for only when the organization has keys (a snapshot makes no id string otherwise).
   */
  applyAccess(row: number, state: HeldAccess, orgId: () => string): boolean {
    if (this.access[row] !== undefined && this.versions[row] >= state.version) return false;
    this.versions[row] = state.version;
    this.access[row] = this.share(state);
    if (state.apiKeys.length > 0 || this.digestsOf.has(row)) this.replaceKeys(row, orgId(), state.apiKeys);
    return true;
  }

  /** A revoked key leaves the index with the access event that no longer lists it. */
  private replaceKeys(row: number, orgId: string, apiKeys: readonly ActiveApiKey[]): void {
    for (const digest of this.digestsOf.get(row) ?? []) this.keys.delete(digest);
    if (apiKeys.length === 0) {
      this.digestsOf.delete(row);
      return;
    }
    for (const key of apiKeys)
      this.keys.set(key.digest, { row, orgId, keyId: key.keyId, purpose: key.purpose });
    this.digestsOf.set(
      row,
      apiKeys.map((k) => k.digest),
    );
  }

  private share(state: HeldAccess): AccessView {
    const plain = Object.keys(state.limitOverrides).length === 0 && (state.models?.length ?? 0) === 0;
    if (!plain) {
      const view: AccessView = {
        tier: state.tier,
        status: state.status,
        limitOverrides: state.limitOverrides,
      };
      if (state.models?.length) view.models = state.models;
      return view;
    }
    for (const view of this.shared) {
      if (view.tier === state.tier && view.status === state.status) return view;
    }
    const view: AccessView = { tier: state.tier, status: state.status, limitOverrides: NO_OVERRIDES };
    this.shared.push(view);
    return view;
  }
}
