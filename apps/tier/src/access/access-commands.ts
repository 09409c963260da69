import { Inject, Injectable } from '@nestjs/common';
import {
  AccessAggregate,
  AccessCommand,
  AccessError,
  AccessErrorCodes,
  AccessEvent,
  AccessRules,
  decideAccess,
  evolveAccess,
  evolveAccessAll,
  findApplication,
  FullAccessApplication,
  initialAccess,
} from '@metergate/policy';
import { AccessEventStore, NewAccessEvent, StoredAccessEvent } from './access-event-store';
import { toAccessEventV1 } from './access-event.wire';
import { ACCESS_RULES } from './access-rules';
import { Clock, IdGenerator } from './clock';
import { OutboxSignal } from '../outbox/outbox-signal';

export interface AccessHistory {
  state: AccessAggregate;
  events: StoredAccessEvent[];
}

/**
 * The one path every command takes: rebuild the organization from its events, let the decider judge
 * the command, append what it decided. Handlers differ only in how they find the organization.
 */
@Injectable()
export class AccessCommands {
  constructor(
    private readonly store: AccessEventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly signal: OutboxSignal,
    @Inject(ACCESS_RULES) private readonly rules: AccessRules,
  ) {}

  async history(orgId: string): Promise<AccessHistory> {
    const events = await this.store.load(orgId);
    const state = evolveAccessAll(
      initialAccess(orgId, this.rules),
      events.map((e) => e.event),
    );
    return { state, events };
  }

  async execute(orgId: string, command: AccessCommand): Promise<AccessAggregate> {
    const { state } = await this.history(orgId);
    const now = this.clock.now();
    const decided = decideAccess(command, state, { now, rules: this.rules });
    let after = state;
    const events: NewAccessEvent[] = decided.map((event) => {
      after = evolveAccess(after, event);
      const eventId = this.ids.newId();
      return {
        version: after.version,
        eventId,
        event,
        message: JSON.stringify(toAccessEventV1(event, after, eventId, now)),
      };
    });
    await this.store.append({
      orgId,
      events,
      recordedAt: now,
      applications: touchedApplications(after, decided),
    });
    this.signal.notify();
    return after;
  }

  /** The organization an application belongs to; an unknown application is refused as not found. */
  async orgOfApplication(applicationId: string): Promise<string> {
    const orgId = await this.store.orgOfApplication(applicationId);
    if (orgId === undefined) {
      throw new AccessError(
        AccessErrorCodes.applicationNotFound,
        `application ${applicationId} does not exist`,
      );
    }
    return orgId;
  }

  newId(): string {
    return this.ids.newId();
  }
}

function touchedApplications(state: AccessAggregate, events: AccessEvent[]): FullAccessApplication[] {
  const ids = new Set(events.flatMap((e) => ('applicationId' in e ? [e.applicationId] : [])));
  return [...ids].flatMap((id) => findApplication(state, id) ?? []);
}
