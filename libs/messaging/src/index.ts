export * from './event-publisher';
export * from './kafka-client';
export * from './managed-consumer';
export * from './messaging.module';
export * from './topic-admin';
export * from './key-partitioner';
export * from './offset-identity';
export * from './topic-settings';
