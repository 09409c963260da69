import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ApproveApplicationHandler } from '../approve-application/approve-application.handler';
import { ChangeTierHandler } from '../change-tier/change-tier.handler';
import { GetOrganizationAccessHandler } from '../get-organization-access/get-organization-access.handler';
import { ListApplicationsHandler } from '../list-applications/list-applications.handler';
import { ReinstateOrganizationHandler } from '../reinstate-organization/reinstate-organization.handler';
import { RejectApplicationHandler } from '../reject-application/reject-application.handler';
import { RemoveLimitOverrideHandler } from '../remove-limit-override/remove-limit-override.handler';
import { SetLimitOverrideHandler } from '../set-limit-override/set-limit-override.handler';
import { SubmitFullAccessApplicationHandler } from '../submit-full-access-application/submit-full-access-application.handler';
import { SuspendOrganizationHandler } from '../suspend-organization/suspend-organization.handler';
import { AccessCommands } from './access-commands';
import { AccessEventStore } from './access-event-store';
import { accessRulesProvider } from './access-rules';
import { Clock, IdGenerator } from './clock';
import { OutboxSignal } from './outbox-signal';

/**
 * The commands and queries on organizations' access, transport-free: the HTTP app and the admin CLI
 * both run exactly these handlers. Needs PlatformModule and DatabaseModule from the host.
 */
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    AccessCommands,
    AccessEventStore,
    accessRulesProvider,
    Clock,
    IdGenerator,
    OutboxSignal,
    SubmitFullAccessApplicationHandler,
    ApproveApplicationHandler,
    RejectApplicationHandler,
    ChangeTierHandler,
    SuspendOrganizationHandler,
    ReinstateOrganizationHandler,
    SetLimitOverrideHandler,
    RemoveLimitOverrideHandler,
    ListApplicationsHandler,
    GetOrganizationAccessHandler,
  ],
  exports: [CqrsModule, OutboxSignal],
})
export class AccessModule {}
