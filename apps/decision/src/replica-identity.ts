import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';

/** The Kafka header that names the replica process a record of admissions or releases came from. */
export const REPLICA_HEADER = 'metergate-replica';

/**
 * This process's name among the replicas. Its admissions carry it, so that its follower passes over
 * its own records without decoding them: it counted them when it made them.
 */
@Injectable()
export class ReplicaIdentity {
  readonly id = randomBytes(8).toString('hex');
  private readonly bytes = Buffer.from(this.id);

  /** Whether a record's headers name this process. */
  isOwn(headers: Record<string, unknown> | undefined): boolean {
    const named = headers?.[REPLICA_HEADER];
    return Buffer.isBuffer(named) && named.equals(this.bytes);
  }
}
