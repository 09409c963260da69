import { Query } from '@nestjs/cqrs';
import { OrgQuota } from './org-quota';

/** The organization's tier and status, and each quota of its tier against what it used. */
export class GetOrgQuotaQuery extends Query<OrgQuota> {
  constructor(readonly orgId: string) {
    super();
  }
}
