import { Module } from '@nestjs/common';
import { MessagingModule } from '@metergate/messaging';
import { OutboxBacklogMetric } from './outbox-backlog.metric';
import { OutboxRelay } from './outbox-relay';
import { OutboxSignalModule } from './outbox-signal.module';

/** Publishes committed access events to Kafka and reports the backlog; only the tier service runs it. */
@Module({
  imports: [OutboxSignalModule, MessagingModule],
  providers: [OutboxRelay, OutboxBacklogMetric],
})
export class OutboxModule {}
