import { UsageProjections1764288000000 } from './1764288000000-usage-projections';
import { OrgAccess1764288000001 } from './1764288000001-org-access';
import { AccessEventStore1764288000002 } from './1764288000002-access-event-store';
import { CallPlacement1764288000003 } from './1764288000003-call-placement';
import { AnalystViews1764288000004 } from './1764288000004-analyst-views';
import { OrgQuotaView1764288000005 } from './1764288000005-org-quota-view';
import { DeadLetters1764288000010 } from './1764288000010-dead-letters';
import { OffsetIdentity1764288000011 } from './1764288000011-offset-identity';
import { OrgAccessKeysAndModels1764288000020 } from './1764288000020-org-access-keys-and-models';
import { DenialsByMinute1764288000030 } from './1764288000030-denials-by-minute';
import { UsageByLimitDimensions1764288000040 } from './1764288000040-usage-by-limit-dimensions';

/** Every migration, oldest first. Listed explicitly so that builds and tests need no file globbing. */
export const migrations = [
  UsageProjections1764288000000,
  OrgAccess1764288000001,
  AccessEventStore1764288000002,
  CallPlacement1764288000003,
  AnalystViews1764288000004,
  OrgQuotaView1764288000005,
  DeadLetters1764288000010,
  OffsetIdentity1764288000011,
  OrgAccessKeysAndModels1764288000020,
  DenialsByMinute1764288000030,
  UsageByLimitDimensions1764288000040,
];
