import { AccessPolicy, LimitDefinition, LimitUnit } from './access-policy';
import { LimitOverride, LimitOverrideEntry, overrideEntries } from './limits/limit-override';
import { WindowSpec, parseWindow } from './limits/window';

/**
 * Where usage is counted: an endpoint, and either every call to it (model slot 0) or only the calls naming
 * one of the policy's models (slot 1 + the model's index). A limit sums the scopes it covers.
 */
export type Scope = number;

/** Buckets of one unit at one resolution, kept for the longest sliding window counted in them. */
export interface Track {
  unit: LimitUnit;
  resolutionMs: number;
  /** Buckets the longest window of this track spans. */
  slots: number;
}

/** A limit ready for the hot path. */
export interface CompiledLimit {
  name: string;
  unit: LimitUnit;
  window: WindowSpec;
  limit: number;
  scopes: readonly Scope[];
  /** Index in CompiledPolicy.tracks, for a sliding window; -1 for a quota. */
  track: number;
  /** Lifetime and monthly limits are quotas (quota_exhausted); sliding ones are rate limits. */
  quota: boolean;
}

/** The limits that apply to a check, by endpoint index and model slot (0: no model, or not a shared one). */
export type LimitTable = readonly (readonly (readonly CompiledLimit[])[])[];

export interface CompiledTier {
  name: string;
  /** Per endpoint index: whether the tier may call it. */
  entitled: readonly boolean[];
  models: ReadonlySet<string>;
  /**
   * Every tier but the default one is full access (the access policy's two modes): production keys
   * and an organization's own models need it.
   */
  fullAccess: boolean;
  limits: LimitTable;
}

/**
 * The access policy prepared for the hot path: endpoints and models become small integers, each tier's
 * limits an array per endpoint and model, and the counters the limits read (tracks and scopes) are
 * listed so that the stores keep exactly those. Built once at boot from the validated document;
 * limit overrides are compiled on first use and cached per override object.
 */
export class CompiledPolicy {
  readonly endpoints: readonly string[];
  readonly models: readonly string[];
  readonly defaultTier: CompiledTier;
  readonly tracks: Track[] = [];
  /** Slots per endpoint: 0 for every call, then one per shared model. */
  readonly modelSlots: number;
  /** Whether some tier counts a calendar month (stores then keep monthly totals). */
  readonly hasMonthlyLimits: boolean;
  /**
   * The lifetime and monthly totals some limit reads, as periodKey(scope, unit): the tiers' at
   * construction, an override's once it is compiled. Stores keep only these.
   */
  readonly periodTotals = new Set<number>();
  private readonly endpointIndex = new Map<string, number>();
  private readonly modelIndex = new Map<string, number>();
  private readonly tiers = new Map<string, CompiledTier>();
  private readonly modelScopes = new Set<Scope>();
  private readonly countedIn: Scope[][] = [];
  private readonly overridden = new WeakMap<Record<string, LimitOverride>, Map<string, LimitTable>>();

  constructor(readonly source: AccessPolicy) {
    this.endpoints = source.endpoints;
    this.models = source.models;
    this.modelSlots = source.models.length + 1;
    source.endpoints.forEach((endpoint, i) => this.endpointIndex.set(endpoint, i));
    source.models.forEach((model, i) => this.modelIndex.set(model, i));
    for (const [name, tier] of Object.entries(source.tiers)) {
      this.tiers.set(name, {
        name,
        entitled: source.endpoints.map((e) => tier.endpoints.includes(e)),
        models: new Set(tier.models),
        fullAccess: name !== source.defaultTier,
        limits: this.table(tier.limits.map((l) => this.compile(l.name, l))),
      });
    }
    this.defaultTier = this.tiers.get(source.defaultTier)!;
    this.hasMonthlyLimits = Object.values(source.tiers).some((t) => t.limits.some((l) => l.window === 'P1M'));
  }

  /** Whether some limit counts calls of one model (stores then keep per-model counts). */
  get hasModelScopes(): boolean {
    return this.modelScopes.size > 0;
  }

  /** The endpoint's index, or -1 when the policy does not define it. */
  indexOf(endpoint: string): number {
    return this.endpointIndex.get(endpoint) ?? -1;
  }

  /** 1 + the shared model's index; 0 for no model or any other (an organization's own) model. */
  modelSlot(model: string | undefined): number {
    if (model === undefined) return 0;
    const index = this.modelIndex.get(model);
    return index === undefined ? 0 : index + 1;
  }

  scope(endpoint: number, modelSlot: number): Scope {
    return endpoint * this.modelSlots + modelSlot;
  }

  /** The scopes a call to (endpoint, model slot) counts in: every call's, and its model's if a limit reads it. */
  scopesOf(endpoint: number, modelSlot: number): readonly Scope[] {
    const key = this.scope(endpoint, modelSlot);
    let scopes = this.countedIn[key];
    if (!scopes) {
      scopes = [this.scope(endpoint, 0)];
      if (modelSlot > 0 && this.modelScopes.has(key)) scopes.push(key);
      this.countedIn[key] = scopes;
    }
    return scopes;
  }

  /**
   * The named tier. An organization on a tier this policy no longer defines keeps the default tier's
   * limits rather than none: a deployment mistake must not lift every cap.
   */
  tier(name: string | undefined): CompiledTier {
    if (name === undefined) return this.defaultTier;
    return this.tiers.get(name) ?? this.defaultTier;
  }

  hasTier(name: string): boolean {
    return this.tiers.has(name);
  }

  /** The tier's limits with an organization's overrides applied (cached per overrides object). */
  limitsOf(tier: CompiledTier, overrides: Record<string, LimitOverride> | undefined): LimitTable {
    if (overrides === undefined) return tier.limits;
    let byTier = this.overridden.get(overrides);
    if (!byTier) this.overridden.set(overrides, (byTier = new Map<string, LimitTable>()));
    let table = byTier.get(tier.name);
    if (!table) byTier.set(tier.name, (table = this.withOverrides(tier, overrides)));
    return table;
  }

  private withOverrides(tier: CompiledTier, overrides: Record<string, LimitOverride>): LimitTable {
    return tier.limits.map((bySlot, endpoint) => {
      const override = overrides[this.endpoints[endpoint]];
      if (!override) return bySlot;
      const entries = overrideEntries(override);
      return bySlot.map((limits, slot) => {
        const model = slot === 0 ? undefined : this.models[slot - 1];
        const applies = (e: LimitOverrideEntry) => e.model === undefined || e.model === model;
        // A replaced limit keeps its place and its name; a lifted one goes; new ones come last.
        const kept = limits.flatMap((limit) => {
          const entry = entries.find((e) => applies(e) && this.replaces(e, limit, endpoint, model));
          if (!entry) return [limit];
          return entry.limit === null ? [] : [this.overrideLimit(limit.name, endpoint, entry)];
        });
        for (const entry of entries) {
          if (entry.limit === null || !applies(entry)) continue;
          if (limits.some((limit) => this.replaces(entry, limit, endpoint, model))) continue;
          const name = overrideName(this.endpoints[endpoint], entry.unit, entry.window, entry.model);
          kept.push(this.overrideLimit(name, endpoint, entry));
        }
        return kept;
      });
    });
  }

  private overrideLimit(name: string, endpoint: number, entry: LimitOverrideEntry): CompiledLimit {
    const definition: LimitDefinition = {
      name,
      endpoints: [this.endpoints[endpoint]],
      unit: entry.unit,
      window: entry.window,
      limit: entry.limit ?? 0,
    };
    if (entry.model !== undefined) definition.models = [entry.model];
    return this.compile(name, definition);
  }

  /** An override entry replaces a tier limit on its endpoint of the same unit, window and model scope. */
  private replaces(
    entry: { unit: LimitUnit; window: string; model?: string },
    limit: CompiledLimit,
    endpoint: number,
    model: string | undefined,
  ): boolean {
    const window = parseWindow(entry.window);
    if (!window || limit.unit !== entry.unit || !sameWindow(window, limit.window)) return false;
    if (entry.model !== undefined && entry.model !== model) return false;
    const modelScoped = limit.scopes.some((s) => s % this.modelSlots !== 0);
    return (
      modelScoped === (entry.model !== undefined) && limit.scopes.some((s) => this.endpointOf(s) === endpoint)
    );
  }

  private endpointOf(scope: Scope): number {
    return Math.floor(scope / this.modelSlots);
  }

  private compile(name: string, definition: LimitDefinition): CompiledLimit {
    const window = parseWindow(definition.window)!;
    const endpoints = definition.endpoints.map((e) => this.indexOf(e));
    const slots = definition.models?.map((m) => this.modelSlot(m)) ?? [0];
    const scopes = endpoints.flatMap((e) => slots.map((slot) => this.scope(e, slot)));
    for (const scope of scopes) {
      if (scope % this.modelSlots !== 0) this.trackModelScope(scope);
      if (window.kind !== 'sliding') this.periodTotals.add(periodKey(scope, definition.unit));
    }
    return {
      name,
      unit: definition.unit,
      window,
      limit: definition.limit,
      scopes,
      track:
        window.kind === 'sliding' ? this.trackFor(definition.unit, window.resolutionMs, window.slots) : -1,
      quota: window.kind !== 'sliding',
    };
  }

  private trackModelScope(scope: Scope): void {
    if (this.modelScopes.has(scope)) return;
    this.modelScopes.add(scope);
    this.countedIn.length = 0;
  }

  /** The track of (unit, resolution), made or widened to hold `slots` buckets. */
  private trackFor(unit: LimitUnit, resolutionMs: number, slots: number): number {
    const index = this.tracks.findIndex((t) => t.unit === unit && t.resolutionMs === resolutionMs);
    if (index >= 0) {
      this.tracks[index].slots = Math.max(this.tracks[index].slots, slots);
      return index;
    }
    this.tracks.push({ unit, resolutionMs, slots });
    return this.tracks.length - 1;
  }

  /** Per endpoint and slot, the limits whose scopes a call there counts in. */
  private table(limits: CompiledLimit[]): LimitTable {
    return this.endpoints.map((_, endpoint) =>
      Array.from({ length: this.modelSlots }, (__, slot) =>
        limits.filter((limit) =>
          limit.scopes.some(
            (s) =>
              this.endpointOf(s) === endpoint && (s % this.modelSlots === 0 || s % this.modelSlots === slot),
          ),
        ),
      ),
    );
  }
}

/** One number per (scope, unit) total, for sets and maps of them. */
export function periodKey(scope: Scope, unit: LimitUnit): number {
  return scope * 2 + (unit === 'calls' ? 0 : 1);
}

function sameWindow(a: WindowSpec, b: WindowSpec): boolean {
  if (a.kind !== 'sliding' || b.kind !== 'sliding') return a.kind === b.kind;
  return a.ms === b.ms;
}

/** What an override's own limit is called in answers: `generate-large-minute`, `embed-hour-chars`. */
export function overrideName(endpoint: string, unit: LimitUnit, window: string, model?: string): string {
  const label = parseWindow(window)?.label ?? window;
  return `${endpoint}${model ? `-${model}` : ''}-${label.toLowerCase()}${unit === 'chars' ? '-chars' : ''}`;
}
