import { Module } from '@nestjs/common';
import { EventPublisher } from './event-publisher';
import { KafkaClient } from './kafka-client';
import { TopicAdmin } from './topic-admin';

@Module({
  providers: [KafkaClient, TopicAdmin, EventPublisher],
  exports: [KafkaClient, TopicAdmin, EventPublisher],
})
export class MessagingModule {}
