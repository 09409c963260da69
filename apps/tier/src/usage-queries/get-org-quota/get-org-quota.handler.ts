import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CompiledPolicy, monthIndex, monthStartMs } from '@metergate/policy';
import { Clock } from '../../access/clock';
import { UsageProjections } from '../usage-projections';
import { GetOrgQuotaQuery } from './get-org-quota.query';
import { OrgQuota, QuotaUsage, orgQuota, quotaDefinitions, usageNeeded } from './org-quota';

@QueryHandler(GetOrgQuotaQuery)
export class GetOrgQuotaHandler implements IQueryHandler<GetOrgQuotaQuery> {
  constructor(
    private readonly projections: UsageProjections,
    private readonly policy: CompiledPolicy,
    private readonly clock: Clock,
  ) {}

  async execute({ orgId }: GetOrgQuotaQuery): Promise<OrgQuota> {
    const nowMs = this.clock.now().getTime();
    const access = await this.projections.access(orgId);
    const quotas = quotaDefinitions(this.policy, access?.tier, access?.limitOverrides);
    const needed = usageNeeded(quotas);
    const none = Promise.resolve([]);
    // A calendar month in UTC begins with a daily bucket: its rollups since that day are the month's.
    const monthStart = new Date(monthStartMs(monthIndex(nowMs)));
    const [lifetime, lifetimeByModel, month, reserved] = await Promise.all([
      needed.lifetime ? this.projections.lifetimeTotals(orgId) : none,
      needed.lifetimeByModel ? this.projections.dailyTotals(orgId, null) : none,
      needed.month ? this.projections.dailyTotals(orgId, monthStart) : none,
      needed.reserved ? this.projections.openReservations(orgId) : none,
    ]);
    const usage: QuotaUsage = { lifetime, lifetimeByModel, month, reserved };
    return orgQuota(
      orgId,
      access?.tier ?? this.policy.defaultTier.name,
      access?.status ?? 'active',
      quotas,
      usage,
      nowMs,
    );
  }
}
