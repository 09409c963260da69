import { Module } from '@nestjs/common';
import { MessagingModule } from '@metergate/messaging';
import { DenialsConsumer } from './denials.consumer';
import { DenialsRetention } from './denials-retention';

/** Keeps denials_by_minute, the decision replicas' denials per organization, minute and reason. */
@Module({ imports: [MessagingModule], providers: [DenialsConsumer, DenialsRetention] })
export class DenialsProjectionModule {}
