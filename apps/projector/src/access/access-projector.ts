import { AccessEventV1, decodeAccessEventV1, decodeJson } from '@metergate/contracts';
import { DataSource } from 'typeorm';
import { RecordProjector } from '../records/record-projector';
import { newestAccessPerOrg, orgAccessUpsertParameters } from './org-access.projection';
import { OrgAccessSql } from './org-access.sql';

/** access.events.v1 into org_access: each organization's newest access state of the batch. */
export function accessProjector(dataSource: DataSource, groupId: string): RecordProjector<AccessEventV1> {
  return new RecordProjector(dataSource, groupId, {
    decode: (value) => decodeAccessEventV1(decodeJson(value)),
    apply: async (tx, events) => {
      const rows = newestAccessPerOrg(events);
      if (rows.length > 0) await tx.query(OrgAccessSql.upsertOrgAccess, orgAccessUpsertParameters(rows));
    },
  });
}
