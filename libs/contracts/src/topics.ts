/** Kafka topic names. Each carries one family of versioned events; a breaking change gets a new topic. */
export const Topics = {
  usageRecorded: 'usage.recorded.v1',
  callsAdmitted: 'decision.admitted.v1',
  accessEvents: 'access.events.v1',
  callsDenied: 'decision.denials.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];
