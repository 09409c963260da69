import { Module } from '@nestjs/common';
import { MessagingModule } from '@metergate/messaging';
import { AccessEventsConsumer } from './access-events.consumer';

/** Keeps org_access, the decision API's view of each organization's access, up to date. */
@Module({ imports: [MessagingModule], providers: [AccessEventsConsumer] })
export class AccessProjectionModule {}
