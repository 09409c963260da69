import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DatabaseConnection, inTransaction } from '@metergate/database';
import { ACCESS_POLICY } from '@metergate/platform';
import type { AccessPolicy } from '@metergate/policy';
import { policyQuotaRows } from './policy-quotas';
import { UsageQueriesSql } from './usage-queries.sql';

/**
 * Copies the access policy's tiers and quotas into PostgreSQL once connected, so that the org_quota view
 * reads the limits the decision API enforces. The tables are replaced whole in one transaction: readers
 * see the old policy or the new one, never a mix. Replicas with the same policy write the same rows.
 */
@Injectable()
export class PolicyQuotasSync implements OnApplicationBootstrap {
  private readonly logger = new Logger(PolicyQuotasSync.name);
  private done?: Promise<void>;

  constructor(
    private readonly database: DatabaseConnection,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  onApplicationBootstrap(): void {
    this.done = this.database
      .whenConnected()
      .then(() => this.sync())
      .catch((error: unknown) =>
        this.logger.warn(
          `could not copy the policy's quotas for the org_quota view: ${(error as Error).message}`,
        ),
      );
  }

  /** Resolves once the copy was attempted (for tests). */
  whenDone(): Promise<void> {
    return this.done ?? Promise.resolve();
  }

  private async sync(): Promise<void> {
    const { tiers, quotas } = policyQuotaRows(this.policy);
    await inTransaction(this.database.dataSource, async (tx) => {
      await tx.query(UsageQueriesSql.clearPolicyTiers);
      for (const row of tiers) await tx.query(UsageQueriesSql.insertPolicyTier, [row.tier, row.isDefault]);
      for (const row of quotas) {
        await tx.query(UsageQueriesSql.insertPolicyQuota, [
          row.tier,
          row.quotaName,
          row.endpoints,
          row.limitChars,
        ]);
      }
    });
  }
}
