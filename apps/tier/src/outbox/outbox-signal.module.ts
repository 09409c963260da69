import { Module } from '@nestjs/common';
import { OutboxSignal } from './outbox-signal';

/**
 * The signal alone, for whatever commits access events: the tier service wakes its relay with it, the
 * admin CLI (no relay) notifies no one and its rows wait for the service's next poll.
 */
@Module({ providers: [OutboxSignal], exports: [OutboxSignal] })
export class OutboxSignalModule {}
