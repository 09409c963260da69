import { Module } from '@nestjs/common';
import { ApproveApplicationHandler } from '../approve-application/approve-application.handler';
import { ChangeTierHandler } from '../change-tier/change-tier.handler';
import { GetOrganizationAccessHandler } from '../get-organization-access/get-organization-access.handler';
import { IssueApiKeyHandler } from '../issue-api-key/issue-api-key.handler';
import { ListApiKeysHandler } from '../list-api-keys/list-api-keys.handler';
import { ListApplicationsHandler } from '../list-applications/list-applications.handler';
import { OutboxSignalModule } from '../outbox/outbox-signal.module';
import { RegisterModelHandler } from '../register-model/register-model.handler';
import { ReinstateOrganizationHandler } from '../reinstate-organization/reinstate-organization.handler';
import { RejectApplicationHandler } from '../reject-application/reject-application.handler';
import { RemoveLimitOverrideHandler } from '../remove-limit-override/remove-limit-override.handler';
import { RevokeApiKeyHandler } from '../revoke-api-key/revoke-api-key.handler';
import { SetLimitOverrideHandler } from '../set-limit-override/set-limit-override.handler';
import { SubmitFullAccessApplicationHandler } from '../submit-full-access-application/submit-full-access-application.handler';
import { SuspendOrganizationHandler } from '../suspend-organization/suspend-organization.handler';
import { AccessCommands } from './access-commands';
import { AccessEventStore } from './access-event-store';
import { accessRulesProvider } from './access-rules';
import { ApiKeyGenerator } from './api-key-generator';
import { Clock, IdGenerator } from './clock';

/**
 * Organizations' access as event-sourced aggregates: the event store, the one path every command takes,
 * and the handlers of every command and query on it, transport-free: the HTTP app and the admin CLI
 * both run exactly these. Needs PlatformModule, DatabaseModule and CqrsModule.forRoot() from the host.
 */
@Module({
  imports: [OutboxSignalModule],
  providers: [
    AccessCommands,
    AccessEventStore,
    accessRulesProvider,
    ApiKeyGenerator,
    Clock,
    IdGenerator,
    SubmitFullAccessApplicationHandler,
    ApproveApplicationHandler,
    RejectApplicationHandler,
    ChangeTierHandler,
    SuspendOrganizationHandler,
    ReinstateOrganizationHandler,
    SetLimitOverrideHandler,
    RemoveLimitOverrideHandler,
    IssueApiKeyHandler,
    RevokeApiKeyHandler,
    RegisterModelHandler,
    ListApplicationsHandler,
    GetOrganizationAccessHandler,
    ListApiKeysHandler,
  ],
})
export class AccessModule {}
