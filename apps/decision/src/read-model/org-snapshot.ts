import { OrgAccess } from '@metergate/policy';
import { SnapshotOffsets } from './snapshot-offsets';

/** One organization's rows of the projection, read in the same transaction as the projector's offsets. */
export interface OrgSnapshot {
  /** [endpoint index, bucket start ms, calls] from the 1-second buckets of the last minute. */
  seconds: number[][];
  /** [endpoint index, bucket start ms, calls] from the 1-minute buckets of the last day. */
  minutes: number[][];
  /** [endpoint index, lifetime characters]. */
  chars: number[][];
  access?: OrgAccess;
}

export interface ProjectionSnapshot {
  offsets: SnapshotOffsets;
  /** Newest projector commit the snapshot holds (RFC 3339), the `asOf` of what it says. */
  asOf: string;
  orgs: Map<string, OrgSnapshot>;
}

/** A usage or admission event, reduced to what the windows and the counting rule need. */
export interface CallFact {
  topic: 0 | 1;
  partition: number;
  offset: number;
  id: string;
  endpoint: number;
  atMs: number;
  /** An admission's hits; 1 for a usage event (counted only when no admission counted the call). */
  calls: number;
  chars: number;
}
