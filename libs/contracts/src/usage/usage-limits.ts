/** Bounds of the ingest contract, shared by the HTTP validation and the wire decoding (see CallFields). */
export const UsageLimits = {
  maxEventsPerBatch: 1000,
  maxBodyBytes: 1024 * 1024,
  maxIdLength: 128,
  maxOrgIdLength: 64,
  maxEndpointLength: 64,
  maxModelLength: 64,
  maxChars: 1_000_000_000,
  maxFutureSkewMs: 5 * 60 * 1000,
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
} as const;
