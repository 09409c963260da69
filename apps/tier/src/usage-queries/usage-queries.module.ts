import { Module } from '@nestjs/common';
import { ACCESS_POLICY } from '@metergate/platform';
import { AccessPolicy, CompiledPolicy } from '@metergate/policy';
import { Clock } from '../access/clock';
import { GetOrgQuotaHandler } from './get-org-quota/get-org-quota.handler';
import { GetOrgQuotaHttpController } from './get-org-quota/get-org-quota.http.controller';
import { GetOrgUsageHandler } from './get-org-usage/get-org-usage.handler';
import { GetOrgUsageHttpController } from './get-org-usage/get-org-usage.http.controller';
import { PolicyQuotasSync } from './policy-quotas.sync';
import { TopUsageHandler } from './top-usage/top-usage.handler';
import { TopUsageHttpController } from './top-usage/top-usage.http.controller';
import { UsageProjections } from './usage-projections';

/**
 * The analysts' side: usage, quota and top-organization queries over the projector's tables, and the copy
 * of the policy's quotas behind the org_quota view. Read-only over HTTP; needs CqrsModule.forRoot().
 */
@Module({
  controllers: [GetOrgUsageHttpController, GetOrgQuotaHttpController, TopUsageHttpController],
  providers: [
    UsageProjections,
    GetOrgUsageHandler,
    GetOrgQuotaHandler,
    TopUsageHandler,
    PolicyQuotasSync,
    Clock,
    {
      provide: CompiledPolicy,
      inject: [ACCESS_POLICY],
      useFactory: (p: AccessPolicy) => new CompiledPolicy(p),
    },
  ],
})
export class UsageQueriesModule {}
