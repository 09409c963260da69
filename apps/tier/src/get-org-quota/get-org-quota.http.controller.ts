import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ACCESS_POLICY, Roles } from '@metergate/platform';
import type { AccessPolicy } from '@metergate/policy';
import { NoQuery, OrgParams } from '../access/http-input';
import { UsageReader } from '../usage-queries/usage-reader';
import { OrgQuota, orgQuota } from './org-quota';

@ApiTags('usage')
@Roles('analyst')
@Controller('v1/orgs/:orgId/quota')
export class GetOrgQuotaHttpController {
  constructor(
    private readonly reader: UsageReader,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  @Get()
  @ApiOkResponse({
    description:
      "The organization's tier and status, and for each quota of its tier: limit, used, remaining, exhausted " +
      '(used counts input and output characters of the covered endpoints, as projected).',
  })
  async get(@Param() { orgId }: OrgParams, @NoQuery() _query: void): Promise<OrgQuota> {
    const [access, chars] = await Promise.all([this.reader.access(orgId), this.reader.lifetimeChars(orgId)]);
    return orgQuota(this.policy, orgId, access, chars);
  }
}
