import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DecisionAnswer } from '@metergate/contracts';
import { counter } from '@metergate/platform';
import {
  CheckRequest,
  DENY_REASONS,
  Decision,
  FRESH,
  OrgView,
  StaleMode,
  decide,
  reasonCode,
  reasonOf,
} from '@metergate/policy';
import { DecisionConfig } from '../decision.config';
import { checkFingerprint, fingerprintOf, packAnswer, reasonCodeOf } from '../read-model/check-answer';
import { IdFlags } from '../read-model/id-memory';
import { ReadModel } from '../read-model/read-model';
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
  chars: number;
}

/** A request id already named another check: HTTP 409, gRPC ALREADY_EXISTS. */
export const REQUEST_ID_CONFLICT = Symbol('request_id_conflict');
export type CheckResult = DecisionAnswer | typeof REQUEST_ID_CONFLICT;

const decisions = counter({
  name: 'decisions_total',
  help: 'Checks answered, by outcome.',
  labelNames: ['outcome'] as const,
});
const outcomes = Object.fromEntries(
  ['allowed', 'replayed', 'request_id_conflict', ...DENY_REASONS].map((o) => [o, decisions.labels(o)]),
);

/**
 * Answers checks from the in-memory read model, never waiting on anything. Everything between reading
 * an organization's counters and counting an allowed call runs synchronously, so concurrent checks
 * racing for the last free slot are serialized by the event loop: exactly one of them gets it.
 */
@Injectable()
export class DecideService {
  private readonly staleMode: StaleMode;
  private readonly view: OrgView;
  private readonly reservationMs: number;

  constructor(
    private readonly model: ReadModel,
    private readonly admissions: AdmissionPublisher,
    private readonly denials: DenialPublisher,
    config: DecisionConfig,
  ) {
    this.staleMode = {
      rateClosed: config.DECISION_STALE_RATE_POLICY === 'closed',
      quotaClosed: config.DECISION_STALE_QUOTA_POLICY === 'closed',
    };
    this.view = { access: undefined, usage: model.usage };
    this.reservationMs = model.policy.source.reservationTtlSeconds * 1000;
  }

  check(check: ValidCheck, now = Date.now()): CheckResult {
    const model = this.model;
    const row = model.orgs.rowOf(check.orgId);
    const request: CheckRequest = {
      endpoint: check.endpoint,
      model: check.model,
      hits: check.hits,
      chars: check.chars,
    };
    const stale = model.isStale(now) ? this.staleMode : FRESH;
    // Peeks are neither remembered nor replayed: they count nothing and ask only about now.
    const remembered = check.requestId !== undefined && check.hits > 0;
    const fingerprint = remembered
      ? checkFingerprint(check.endpointName, check.model, check.userId, check.hits, check.chars)
      : 0;
    if (remembered) {
      const { flags, answer } = model.counter.lookup(check.orgId, check.requestId!);
      if (flags & (IdFlags.decided | IdFlags.admitted | IdFlags.usage)) {
        const stored = fingerprintOf(answer);
        if (stored !== 0 && stored !== fingerprint) {
          outcomes.request_id_conflict.inc();
          return REQUEST_ID_CONFLICT;
        }
        return this.replay(
          row,
          request,
          check.requestId!,
          flags & IdFlags.decided ? reasonCodeOf(answer) : 0,
          now,
          stale,
        );
      }
    }
    const requestId = check.requestId ?? randomUUID();
    if (check.chars > 0 && check.hits > 0 && model.counter.reservations.full) {
      return this.refuseReservation(check.orgId, row, request, requestId, now, stale);
    }
    const decision = this.decideFor(row, request, now, stale);
    if (decision.allowed && check.hits > 0) {
      this.admit(check, requestId, now, packAnswer(fingerprint, 0));
      outcomes.allowed.inc();
    } else {
      if (remembered)
        model.counter.remember(
          check.orgId,
          requestId,
          packAnswer(fingerprint, reasonCode(decision.reason)),
          now,
        );
      outcomes[decision.reason ?? 'allowed'].inc();
    }
    return this.answer(decision, requestId);
  }

  /**
   * Each check on its own, in order (a batch from one gateway). A request id reused for another check
   * answers that check alone as denied with the reason request_id_conflict.
   */
  checkEach(checks: ValidCheck[]): DecisionAnswer[] {
    const now = Date.now();
    return checks.map((check) => {
      const result = this.check(check, now);
      return result === REQUEST_ID_CONFLICT ? this.conflict(check, now) : result;
    });
  }

  /**
   * Checks that stand or fall together (an Envoy request with several descriptors: the gateway lets the
   * call through only when every one is OK): each is judged on its own, and counted only when all are
   * allowed. `undefined` stands for a descriptor that could not be read, which denies the request.
   */
  checkAll(checks: (ValidCheck | undefined)[]): (DecisionAnswer | undefined)[] {
    const now = Date.now();
    const stale = this.model.isStale(now) ? this.staleMode : FRESH;
    const dry = checks.map((check) => {
      if (!check) return undefined;
      const row = this.model.orgs.rowOf(check.orgId);
      const request = { endpoint: check.endpoint, model: check.model, hits: check.hits, chars: check.chars };
      return this.answer(this.decideFor(row, request, now, stale), check.requestId ?? randomUUID());
    });
    if (dry.some((answer) => !answer?.allowed)) {
      dry.forEach((answer, i) => {
        const check = checks[i];
        if (check && answer?.reason && check.hits > 0) this.denials.denied(check.orgId, answer.reason, now);
      });
      return dry;
    }
    return checks.map((check) => {
      const result = this.check(check!, now);
      return result === REQUEST_ID_CONFLICT ? this.conflict(check!, now) : result;
    });
  }

  /**
   * Frees what a call's reservation holds, for a call that never happened: the characters released,
   * or undefined when there is no open reservation by that id (of that organization, when named).
   */
  releaseById(requestId: string, orgId?: string, now = Date.now()): number | undefined {
    const held = this.model.counter.reservations
      .byRequestId(requestId)
      .filter((r) => orgId === undefined || r.orgId === orgId);
    // Ids are unique per organization only: without one named, an ambiguous id releases nothing.
    if (held.length !== 1) return undefined;
    const { row, orgId: owner } = held[0];
    const chars = this.model.counter.release(row, owner, requestId, now);
    if (chars !== undefined) this.admissions.released(owner, requestId, now);
    return chars;
  }

  private conflict(check: ValidCheck, now: number): DecisionAnswer {
    const row = this.model.orgs.rowOf(check.orgId);
    const stale = this.model.isStale(now) ? this.staleMode : FRESH;
    const request = { endpoint: check.endpoint, model: check.model, hits: 0, chars: 0 };
    const answer = this.answer(this.decideFor(row, request, now, stale), check.requestId!);
    answer.allowed = false;
    answer.reason = 'request_id_conflict';
    answer.retryAfterSeconds = null;
    return answer;
  }

  private decideFor(row: number, request: CheckRequest, now: number, stale: StaleMode): Decision {
    const model = this.model;
    const view = this.view;
    view.access = model.access(row);
    view.usage = model.usage;
    model.usage.row = row;
    return decide(model.policy, view, request, now, stale);
  }

  /** A retry of a check already answered: the same answer, nothing counted, the limits as they are now. */
  private replay(
    row: number,
    request: CheckRequest,
    requestId: string,
    code: number,
    now: number,
    stale: StaleMode,
  ): DecisionAnswer {
    const current = this.decideFor(row, { ...request, hits: 0, chars: 0 }, now, stale);
    const reason = reasonOf(code);
    current.retryAfterSeconds =
      reason !== null && current.reason === reason ? current.retryAfterSeconds : null;
    current.allowed = reason === null;
    current.reason = reason;
    outcomes.replayed.inc();
    return this.answer(current, requestId);
  }

  private admit(check: ValidCheck, requestId: string, now: number, answer: number): void {
    const model = this.model;
    const policy = model.policy;
    const untilMs = now + this.reservationMs;
    const row = model.rowFor(check.orgId);
    if (row >= 0) {
      model.counter.admitHere(
        row,
        check.orgId,
        requestId,
        {
          kind: 'admission',
          at: { endpoint: check.endpoint, slot: policy.modelSlot(check.model), atMs: now },
          hits: check.hits,
          ...(check.chars > 0 && { reserve: { chars: check.chars, untilMs } }),
        },
        now,
        answer,
      );
    }
    this.admissions.admitted(check, requestId, now, check.chars > 0 ? untilMs : undefined);
  }

  /** Every reservation slot is taken: the check cannot be held to its characters, so it is refused. */
  private refuseReservation(
    orgId: string,
    row: number,
    request: CheckRequest,
    requestId: string,
    now: number,
    stale: StaleMode,
  ): DecisionAnswer {
    const decision = this.decideFor(row, { ...request, hits: 0, chars: 0 }, now, stale);
    decision.allowed = false;
    decision.reason = 'rate_limited';
    decision.retryAfterSeconds = 1;
    this.denials.denied(orgId, 'rate_limited', now);
    outcomes.rate_limited.inc();
    return this.answer(decision, requestId);
  }

  /** The decision's limits are already in the wire shape (serializers leave out what is not). */
  private answer(decision: Decision, requestId: string): DecisionAnswer {
    return {
      allowed: decision.allowed,
      reason: decision.reason,
      tier: decision.tier,
      retryAfterSeconds: decision.retryAfterSeconds,
      limits: decision.limits,
      requestId,
      asOf: this.model.loaded ? this.model.freshness.asOf : new Date(0).toISOString(),
    };
  }
}
