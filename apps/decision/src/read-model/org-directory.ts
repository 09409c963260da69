import { LimitOverride, OrgAccess } from '@metergate/policy';

/** An organization's access as a check reads it (the version only orders updates). */
export type AccessView = Omit<OrgAccess, 'version'>;

const NO_OVERRIDES: Record<string, LimitOverride> = Object.freeze({});

/**
 * Every organization this replica knows, as rows: a string-to-row map and per-row columns, so that a
 * million organizations cost about a hundred bytes each. Access states without overrides or own models
 * (nearly all of them) are shared objects, one per tier and status.
 */
export class OrgDirectory {
  private readonly rows = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly access: (AccessView | undefined)[] = [];
  private versions = new Int32Array(1024);
  private readonly shared = new Map<string, AccessView>();

  constructor(private readonly maxOrgs: number) {}

  get size(): number {
    return this.ids.length;
  }

  /** The organization's row, or -1 when it was never seen. */
  rowOf(orgId: string): number {
    return this.rows.get(orgId) ?? -1;
  }

  /** The organization's row, made when it is new; -1 when the directory is full. */
  ensure(orgId: string): number {
    const row = this.rows.get(orgId);
    if (row !== undefined) return row;
    if (this.ids.length >= this.maxOrgs) return -1;
    const added = this.ids.length;
    this.rows.set(orgId, added);
    this.ids.push(orgId);
    this.access.push(undefined);
    if (added >= this.versions.length) {
      const grown = new Int32Array(this.versions.length * 2);
      grown.set(this.versions);
      this.versions = grown;
    }
    return added;
  }

  orgId(row: number): string {
    return this.ids[row];
  }

  accessOf(row: number): AccessView | undefined {
    return row < 0 ? undefined : this.access[row];
  }

  versionOf(row: number): number {
    return this.versions[row];
  }

  /** Applies an access state when it is newer than the one held; returns whether it was applied. */
  applyAccess(row: number, state: OrgAccess): boolean {
    if (this.access[row] !== undefined && this.versions[row] >= state.version) return false;
    this.versions[row] = state.version;
    this.access[row] = this.share(state);
    return true;
  }

  private share(state: OrgAccess): AccessView {
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
    const key = `${state.tier}\u0000${state.status}`;
    let view = this.shared.get(key);
    if (!view)
      this.shared.set(key, (view = { tier: state.tier, status: state.status, limitOverrides: NO_OVERRIDES }));
    return view;
  }
}
