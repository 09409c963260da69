import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DatabaseModule } from '@metergate/database';
import { MessagingModule } from '@metergate/messaging';
import { PlatformModule, loadConfig } from '@metergate/platform';
import { AccessErrorsHttpFilter } from './access/access-errors.http-filter';
import { AccessModule } from './access/access.module';
import { OutboxBacklogMetric } from './access/outbox-backlog.metric';
import { OutboxRelay } from './access/outbox-relay';
import { ApproveApplicationHttpController } from './approve-application/approve-application.http.controller';
import { ChangeTierHttpController } from './change-tier/change-tier.http.controller';
import { DenialsModule } from './denials/denials.module';
import { GetOrgQuotaHttpController } from './get-org-quota/get-org-quota.http.controller';
import { GetOrgUsageHttpController } from './get-org-usage/get-org-usage.http.controller';
import { GetOrganizationAccessHttpController } from './get-organization-access/get-organization-access.http.controller';
import { ListApplicationsHttpController } from './list-applications/list-applications.http.controller';
import { ReinstateOrganizationHttpController } from './reinstate-organization/reinstate-organization.http.controller';
import { RejectApplicationHttpController } from './reject-application/reject-application.http.controller';
import { RemoveLimitOverrideHttpController } from './remove-limit-override/remove-limit-override.http.controller';
import { SetLimitOverrideHttpController } from './set-limit-override/set-limit-override.http.controller';
import { SubmitFullAccessApplicationHttpController } from './submit-full-access-application/submit-full-access-application.http.controller';
import { SuspendOrganizationHttpController } from './suspend-organization/suspend-organization.http.controller';
import { TierConfig } from './tier.config';
import { TopUsageHttpController } from './top-usage/top-usage.http.controller';
import { PolicyQuotasSync } from './usage-queries/policy-quotas.sync';
import { UsageReader } from './usage-queries/usage-reader';

@Module({})
export class TierModule {
  static create(config: TierConfig = loadConfig(TierConfig)): DynamicModule {
    return {
      module: TierModule,
      imports: [
        PlatformModule.forRoot(config),
        DatabaseModule.forRoot(),
        MessagingModule,
        AccessModule,
        DenialsModule,
      ],
      controllers: [
        SubmitFullAccessApplicationHttpController,
        ListApplicationsHttpController,
        ApproveApplicationHttpController,
        RejectApplicationHttpController,
        GetOrganizationAccessHttpController,
        ChangeTierHttpController,
        SuspendOrganizationHttpController,
        ReinstateOrganizationHttpController,
        SetLimitOverrideHttpController,
        RemoveLimitOverrideHttpController,
        GetOrgUsageHttpController,
        GetOrgQuotaHttpController,
        TopUsageHttpController,
      ],
      providers: [
        OutboxRelay,
        OutboxBacklogMetric,
        UsageReader,
        PolicyQuotasSync,
        { provide: APP_FILTER, useClass: AccessErrorsHttpFilter },
      ],
    };
  }
}
