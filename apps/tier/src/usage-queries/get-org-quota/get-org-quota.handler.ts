import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ACCESS_POLICY } from '@metergate/platform';
import type { AccessPolicy } from '@metergate/policy';
import { UsageProjections } from '../usage-projections';
import { GetOrgQuotaQuery } from './get-org-quota.query';
import { OrgQuota, orgQuota } from './org-quota';

@QueryHandler(GetOrgQuotaQuery)
export class GetOrgQuotaHandler implements IQueryHandler<GetOrgQuotaQuery> {
  constructor(
    private readonly projections: UsageProjections,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  async execute({ orgId }: GetOrgQuotaQuery): Promise<OrgQuota> {
    const [access, chars] = await Promise.all([
      this.projections.access(orgId),
      this.projections.lifetimeChars(orgId),
    ]);
    return orgQuota(this.policy, orgId, access, chars);
  }
}
