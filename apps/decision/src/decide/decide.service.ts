import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DecisionAnswer, DecisionLimit } from '@metergate/contracts';
import { CheckRequest, Decision, DenyReason, FRESH, StaleMode, admit, decide } from '@metergate/policy';
import { counter } from '@metergate/platform';
import { DecisionConfig } from '../decision.config';
import { IdFlags, OrgEntry, decidedReasonCode, encodeDecided } from '../read-model/org-entry';
import { ReadModel } from '../read-model/read-model';
import { ReadModelSync } from '../read-model/read-model.sync';
import { DenialPublisher } from '../denials/denial.publisher';
import { AdmissionPublisher } from './admission.publisher';

/** A check that passed input validation; `endpoint` is the policy's index of `endpointName`. */
export interface ValidCheck {
  orgId: string;
  endpointName: string;
  endpoint: number;
  model: string | undefined;
  userId: string | undefined;
  requestId: string | undefined;
  hits: number;
}

const REASONS: (DenyReason | null)[] = [
  null,
  'rate_limited',
  'quota_exhausted',
  'model_not_allowed',
  'suspended',
];

const decisions = counter({
  name: 'decisions_total',
  help: 'Checks answered, by outcome.',
  labelNames: ['outcome'] as const,
});
const counters: Record<string, { inc(): void }> = Object.fromEntries(
  ['allowed', 'replayed', 'rate_limited', 'quota_exhausted', 'model_not_allowed', 'suspended'].map(
    (outcome) => [outcome, decisions.labels(outcome)],
  ),
);

/**
 * Answers checks from the in-memory read model. Everything between reading an organization's windows
 * and counting an allowed call runs synchronously, so concurrent checks racing for the last free slot
 * are serialized by the event loop: exactly one of them gets it.
 */
@Injectable()
export class DecideService {
  private readonly staleMode: StaleMode;

  constructor(
    private readonly model: ReadModel,
    private readonly sync: ReadModelSync,
    private readonly admissions: AdmissionPublisher,
    private readonly denials: DenialPublisher,
    config: DecisionConfig,
  ) {
    this.staleMode = {
      rateClosed: config.DECISION_STALE_RATE_POLICY === 'closed',
      quotaClosed: config.DECISION_STALE_QUOTA_POLICY === 'closed',
    };
  }

  check(check: ValidCheck): DecisionAnswer | Promise<DecisionAnswer> {
    const entry = this.sync.ensure(check.orgId);
    if (entry instanceof OrgEntry) return this.decideOn(entry, check);
    return entry.then((loaded) => this.decideOn(loaded, check));
  }

  /** Each check on its own, answered in order (a batch from one gateway). */
  async checkEach(checks: ValidCheck[]): Promise<DecisionAnswer[]> {
    const entries = await this.entriesFor(checks);
    return checks.map((check, i) => this.decideOn(entries[i], check));
  }

  /**
   * All or nothing (an Envoy request with several descriptors): every check is counted only when all of
   * them are allowed, since the gateway lets the call through only then.
   */
  async checkAll(checks: ValidCheck[]): Promise<DecisionAnswer[]> {
    const entries = await this.entriesFor(checks);
    const now = Date.now();
    const dry = checks.map((check, i) => this.evaluate(entries[i], check, now));
    if (dry.some((d) => !d.decision.allowed)) {
      dry.forEach((d, i) => {
        if (!d.replayed && d.decision.reason !== null)
          this.denials.denied(checks[i].orgId, d.decision.reason, now);
      });
      return dry.map((d, i) => this.answer(d.decision, checks[i].requestId ?? randomUUID(), entries[i]));
    }
    return checks.map((check, i) => this.decideOn(entries[i], check));
  }

  private async entriesFor(checks: ValidCheck[]): Promise<OrgEntry[]> {
    for (;;) {
      const found = checks.map((c) => this.sync.ensure(c.orgId));
      const loading = found.filter((e): e is Promise<OrgEntry> => !(e instanceof OrgEntry));
      if (loading.length === 0) return found as OrgEntry[];
      // Entries are looked up again afterwards: a load may replace one found earlier in the batch.
      await Promise.all(loading);
    }
  }

  private evaluate(
    entry: OrgEntry,
    check: ValidCheck,
    now: number,
  ): { decision: Decision; replayed: boolean } {
    const stale = this.model.isStale(now) || !entry.complete ? this.staleMode : FRESH;
    const request: CheckRequest = { endpoint: check.endpoint, model: check.model, hits: check.hits };
    const flags = check.requestId === undefined ? 0 : entry.flags(check.requestId);
    if (!(flags & (IdFlags.decided | IdFlags.admitted))) {
      return { decision: decide(this.model.policy, entry.usage, request, now, stale), replayed: false };
    }
    // A retry of a check already answered: the same answer, and nothing counted again.
    request.hits = 0;
    const current = decide(this.model.policy, entry.usage, request, now, stale);
    const reason = flags & IdFlags.decided ? REASONS[decidedReasonCode(flags)] : null;
    current.allowed = reason === null;
    current.retryAfterSeconds =
      reason !== null && current.reason === reason ? current.retryAfterSeconds : null;
    current.reason = reason;
    return { decision: current, replayed: true };
  }

  private decideOn(entry: OrgEntry, check: ValidCheck): DecisionAnswer {
    const now = Date.now();
    entry.lastUsedMs = now;
    const { decision, replayed } = this.evaluate(entry, check, now);
    const requestId = check.requestId ?? randomUUID();
    if (replayed) {
      counters.replayed.inc();
    } else if (decision.allowed && check.hits > 0) {
      admit(entry.usage, { endpoint: check.endpoint, model: check.model, hits: check.hits }, now);
      entry.setFlags(requestId, encodeDecided(0) | IdFlags.admitted | IdFlags.own);
      this.admissions.admitted(
        check.orgId,
        requestId,
        check.endpointName,
        check.model,
        check.userId,
        check.hits,
        now,
      );
      counters.allowed.inc();
    } else {
      if (check.requestId !== undefined)
        entry.setFlags(requestId, encodeDecided(REASONS.indexOf(decision.reason)));
      counters[decision.reason ?? 'allowed'].inc();
      if (decision.reason !== null) this.denials.denied(check.orgId, decision.reason, now);
    }
    return this.answer(decision, requestId, entry);
  }

  private answer(decision: Decision, requestId: string, entry: OrgEntry): DecisionAnswer {
    const limits: DecisionLimit[] = new Array<DecisionLimit>(decision.limits.length);
    for (let i = 0; i < limits.length; i += 1) {
      const l = decision.limits[i];
      limits[i] = {
        name: l.name,
        window: l.window,
        limit: l.limit,
        remaining: l.remaining,
        resetSeconds: l.resetSeconds,
      };
    }
    return {
      allowed: decision.allowed,
      reason: decision.reason,
      tier: decision.tier,
      retryAfterSeconds: decision.retryAfterSeconds,
      limits,
      requestId,
      asOf: this.model.asOf(entry),
    };
  }
}
