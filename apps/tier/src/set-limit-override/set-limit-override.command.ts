import { Command } from '@nestjs/cqrs';
import { LimitOverride } from '@metergate/policy';
import { AccessSummary } from '../access/access.views';

export class SetLimitOverrideCommand extends Command<AccessSummary> {
  constructor(
    readonly orgId: string,
    readonly endpoint: string,
    readonly override: LimitOverride,
    readonly setBy: string,
  ) {
    super();
  }
}
