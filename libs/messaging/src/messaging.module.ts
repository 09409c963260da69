import { Module } from '@nestjs/common';
import { EventPublisher } from './event-publisher';
import { KafkaClient } from './kafka-client';
import { KafkaThread } from './thread/kafka-thread';
import { TopicAdmin } from './topic-admin';

@Module({
  providers: [KafkaClient, TopicAdmin, EventPublisher, KafkaThread],
  exports: [KafkaClient, TopicAdmin, EventPublisher, KafkaThread],
})
export class MessagingModule {}
