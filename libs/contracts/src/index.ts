export * from './envelope';
export * from './topics';
export * from './usage/usage-limits';
export * from './usage/usage-recorded.v1';
export * from './usage/record-usage.request';
export * from './decision/call-admitted.v1';
export * from './access/access-events.v1';
