import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DecisionAnswer } from '@metergate/contracts';
import { boundCounter } from '@metergate/platform';
import {
  ApiKeyPurpose,
  CheckRequest,
  DENY_REASONS,
  Decision,
  FRESH,
  OrgView,
  StaleMode,
  apiKeyDigest,
  decide,
  reasonCode,
  reasonOf,
} from '@metergate/policy';
import { DenialPublisher } from '../denials/denial.publisher';
import { DecisionConfig } from '../decision.config';
import { checkFingerprint, fingerprintOf, packAnswer, reasonCodeOf } from '../read-model/check-answer';
import { IdFlags } from '../read-model/id-memory';
import { ReadModel } from '../read-model/read-model';
import { AdmissionPublisher } from './admission.publisher';

/** A check that passed input validation; `endpoint` is the policy's index of `endpointName`. */
export interface ValidCheck {
  /** The organization, or (exactly one of the two) the API key the call is made with. */
  orgId: string | undefined;
  apiKey: string | undefined;
  endpointName: string;
  endpoint: number;
  model: string | undefined;
  userId: string | undefined;
  requestId: string | undefined;
  hits: number;
  chars: number;
}

/** A check whose organization is known: named, or found by its key. */
export interface OrgCheck extends ValidCheck {
  orgId: string;
  keyId?: string;
  keyPurpose?: ApiKeyPurpose;
}

/** A request id already named another check: HTTP 409, gRPC ALREADY_EXISTS. */
export const REQUEST_ID_CONFLICT = Symbol('request_id_conflict');
export type CheckResult = DecisionAnswer | typeof REQUEST_ID_CONFLICT;

const decisions = boundCounter({
  name: 'decisions_total',
  help: 'Checks answered, by outcome.',
  labelNames: ['outcome'] as const,
});
const outcomes = Object.fromEntries(
  ['allowed', 'replayed', 'request_id_conflict', ...DENY_REASONS].map((o) => [
    o,
    decisions.labels({ outcome: o }),
  ]),
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

  check(input: ValidCheck, now = Date.now()): CheckResult {
    const check = this.resolve(input);
    if (!check) return this.invalidKey(input);
    const model = this.model;
    const row = model.orgs.rowOf(check.orgId);
    const request = requestOf(check);
    const stale = this.staleNow(now);
    // Peeks are neither remembered nor replayed: they count nothing and ask only about now.
    const remembered = check.requestId !== undefined && check.hits > 0;
    const fingerprint = remembered
      ? checkFingerprint(check.endpointName, check.model, check.userId, check.hits, check.chars)
      : 0;
    if (remembered) {
      const flags = model.counter.lookup(check.orgId, check.requestId!);
      if (flags & (IdFlags.decided | IdFlags.admitted | IdFlags.usage)) {
        const answer = model.counter.answerOf(check.orgId, check.requestId!);
        const stored = fingerprintOf(answer);
        if (stored !== 0 && stored !== fingerprint) {
          outcomes.request_id_conflict.inc();
          return REQUEST_ID_CONFLICT;
        }
        const code = flags & IdFlags.decided ? reasonCodeOf(answer) : 0;
        return this.replay(check, row, code, now, stale);
      }
    }
    const requestId = check.requestId ?? randomUUID();
    if (check.chars > 0 && check.hits > 0 && model.counter.reservations.full) {
      return this.refuseReservation(check, row, requestId, now, stale);
    }
    const decision = this.decideFor(row, request, now, stale);
    if (decision.allowed && check.hits > 0) {
      this.admit(check, row, requestId, now, packAnswer(fingerprint, 0));
      outcomes.allowed.inc();
    } else {
      if (remembered) {
        const answer = packAnswer(fingerprint, reasonCode(decision.reason));
        model.counter.remember(check.orgId, requestId, answer, now);
      }
      this.deniedNow(check, decision, now);
    }
    return this.answer(decision, requestId, check);
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
  checkAll(inputs: (ValidCheck | undefined)[]): (DecisionAnswer | undefined)[] {
    const now = Date.now();
    const stale = this.staleNow(now);
    const dry = inputs.map((input) => {
      if (!input) return undefined;
      const check = this.resolve(input);
      if (!check) return this.invalidKey(input);
      const row = this.model.orgs.rowOf(check.orgId);
      const decision = this.decideFor(row, requestOf(check), now, stale);
      if (!decision.allowed) this.deniedNow(check, decision, now);
      return this.answer(decision, check.requestId ?? randomUUID(), check);
    });
    if (dry.some((answer) => !answer?.allowed)) return dry;
    return inputs.map((input) => {
      const result = this.check(input!, now);
      return result === REQUEST_ID_CONFLICT ? this.conflict(input!, now) : result;
    });
  }

  /**
   * Frees what a call's reservation holds, for a call that never happened: the characters released,
   * or undefined when there is no open reservation by that id (of that organization, when named).
   */
  releaseById(requestId: string, orgId?: string, now = Date.now()): number | undefined {
    const orgs = this.model.orgs;
    const named = orgId === undefined ? -1 : orgs.rowOf(orgId);
    const held = this.model.counter.reservations
      .rowsHolding(requestId)
      .filter((row) => orgId === undefined || row === named);
    // Ids are unique per organization only: without one named, an ambiguous id releases nothing.
    if (held.length !== 1) return undefined;
    const row = held[0];
    const owner = orgId ?? orgs.idOf(row);
    const chars = this.model.counter.release(row, owner, requestId, now);
    if (chars !== undefined) this.admissions.released(owner, requestId, now);
    return chars;
  }

  /** The check's organization: named by it, or found by its API key's digest (undefined: no such key). */
  private resolve(check: ValidCheck): OrgCheck | undefined {
    if (check.apiKey === undefined) return check as OrgCheck;
    const holder = this.model.orgs.keyOf(apiKeyDigest(check.apiKey));
    if (!holder) return undefined;
    return {
      orgId: holder.orgId,
      apiKey: check.apiKey,
      endpointName: check.endpointName,
      endpoint: check.endpoint,
      model: check.model,
      userId: check.userId,
      requestId: check.requestId,
      hits: check.hits,
      chars: check.chars,
      keyId: holder.keyId,
      keyPurpose: holder.purpose,
    };
  }

  /** An unknown or revoked key: no organization to judge, nothing counted. */
  private invalidKey(check: ValidCheck): DecisionAnswer {
    outcomes.invalid_key.inc();
    return {
      allowed: false,
      reason: 'invalid_key',
      tier: this.model.policy.defaultTier.name,
      retryAfterSeconds: null,
      limits: [],
      requestId: check.requestId ?? randomUUID(),
      asOf: this.asOf(),
    };
  }

  private conflict(input: ValidCheck, now: number): DecisionAnswer {
    const check = this.resolve(input);
    if (!check) return this.invalidKey(input);
    const row = this.model.orgs.rowOf(check.orgId);
    const answer = this.answer(
      this.decideFor(row, peekOf(check), now, this.staleNow(now)),
      check.requestId!,
      check,
    );
    answer.allowed = false;
    answer.reason = 'request_id_conflict';
    answer.retryAfterSeconds = null;
    return answer;
  }

  private staleNow(now: number): StaleMode {
    return this.model.isStale(now) ? this.staleMode : FRESH;
  }

  private decideFor(row: number, request: CheckRequest, now: number, stale: StaleMode): Decision {
    const model = this.model;
    const view = this.view;
    view.access = model.access(row);
    view.usage = model.usage;
    model.usage.row = row;
    return decide(model.policy, view, request, now, stale);
  }

  /** A call turned away is a denial (a peek only asks), published per organization, reason and minute. */
  private deniedNow(check: OrgCheck, decision: Decision, now: number): void {
    outcomes[decision.reason ?? 'allowed'].inc();
    if (decision.reason !== null && check.hits > 0) this.denials.denied(check.orgId, decision.reason, now);
  }

  /** A retry of a check already answered: the same answer, nothing counted, the limits as they are now. */
  private replay(check: OrgCheck, row: number, code: number, now: number, stale: StaleMode): DecisionAnswer {
    const current = this.decideFor(row, peekOf(check), now, stale);
    const reason = reasonOf(code);
    current.retryAfterSeconds =
      reason !== null && current.reason === reason ? current.retryAfterSeconds : null;
    current.allowed = reason === null;
    current.reason = reason;
    outcomes.replayed.inc();
    return this.answer(current, check.requestId!, check);
  }

  /** Counts an allowed call; `known` is the organization's row when it had one before this check. */
  private admit(check: OrgCheck, known: number, requestId: string, now: number, answer: number): void {
    const model = this.model;
    const untilMs = now + this.reservationMs;
    const row = known >= 0 ? known : model.rowFor(check.orgId);
    if (row >= 0) {
      const at = { endpoint: check.endpoint, slot: model.policy.modelSlot(check.model), atMs: now };
      const reserve = check.chars > 0 ? { chars: check.chars, untilMs } : undefined;
      model.counter.admitHere(
        row,
        check.orgId,
        requestId,
        { kind: 'admission', at, hits: check.hits, reserve },
        now,
        answer,
      );
    }
    this.admissions.admitted(check, requestId, now, check.chars > 0 ? untilMs : undefined);
  }

  /** Every reservation slot is taken: the check cannot be held to its characters, so it is refused. */
  private refuseReservation(
    check: OrgCheck,
    row: number,
    requestId: string,
    now: number,
    stale: StaleMode,
  ): DecisionAnswer {
    const decision = this.decideFor(row, peekOf(check), now, stale);
    decision.allowed = false;
    decision.reason = 'rate_limited';
    decision.retryAfterSeconds = 1;
    this.deniedNow(check, decision, now);
    return this.answer(decision, requestId, check);
  }

  /** The decision's limits are already in the wire shape (serializers leave out what is not). */
  private answer(decision: Decision, requestId: string, check: OrgCheck): DecisionAnswer {
    const answer: DecisionAnswer = {
      allowed: decision.allowed,
      reason: decision.reason,
      tier: decision.tier,
      retryAfterSeconds: decision.retryAfterSeconds,
      limits: decision.limits,
      requestId,
      asOf: this.asOf(),
    };
    if (check.keyId !== undefined) {
      answer.orgId = check.orgId;
      answer.keyId = check.keyId;
    }
    return answer;
  }

  private asOf(): string {
    return this.model.loaded ? this.model.freshness.asOf : EPOCH;
  }
}

const EPOCH = new Date(0).toISOString();

function requestOf(check: OrgCheck, hits = check.hits, chars = check.chars): CheckRequest {
  const request: CheckRequest = { endpoint: check.endpoint, model: check.model, hits, chars };
  if (check.keyPurpose !== undefined) request.keyPurpose = check.keyPurpose;
  return request;
}

/** The check as a question about now: nothing counted, nothing reserved. */
function peekOf(check: OrgCheck): CheckRequest {
  return requestOf(check, 0, 0);
}
