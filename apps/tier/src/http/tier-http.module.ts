import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AccessModule } from '../access/access.module';
import { ApproveApplicationHttpController } from '../approve-application/approve-application.http.controller';
import { ChangeTierHttpController } from '../change-tier/change-tier.http.controller';
import { GetOrganizationAccessHttpController } from '../get-organization-access/get-organization-access.http.controller';
import { IssueApiKeyHttpController } from '../issue-api-key/issue-api-key.http.controller';
import { ListApiKeysHttpController } from '../list-api-keys/list-api-keys.http.controller';
import { ListApplicationsHttpController } from '../list-applications/list-applications.http.controller';
import { RegisterModelHttpController } from '../register-model/register-model.http.controller';
import { ReinstateOrganizationHttpController } from '../reinstate-organization/reinstate-organization.http.controller';
import { RejectApplicationHttpController } from '../reject-application/reject-application.http.controller';
import { RemoveLimitOverrideHttpController } from '../remove-limit-override/remove-limit-override.http.controller';
import { RevokeApiKeyHttpController } from '../revoke-api-key/revoke-api-key.http.controller';
import { SetLimitOverrideHttpController } from '../set-limit-override/set-limit-override.http.controller';
import { SubmitFullAccessApplicationHttpController } from '../submit-full-access-application/submit-full-access-application.http.controller';
import { SuspendOrganizationHttpController } from '../suspend-organization/suspend-organization.http.controller';
import { AccessErrorsHttpFilter } from './access-errors.http-filter';

/**
 * The HTTP transport of the access commands and queries: their controllers, and the one filter that turns
 * the rules' refusals and the store's errors into statuses (global, so the analysts' routes share it).
 */
@Module({
  imports: [AccessModule],
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
    IssueApiKeyHttpController,
    ListApiKeysHttpController,
    RevokeApiKeyHttpController,
    RegisterModelHttpController,
  ],
  providers: [{ provide: APP_FILTER, useClass: AccessErrorsHttpFilter }],
})
export class TierHttpModule {}
