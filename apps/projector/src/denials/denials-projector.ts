import { CallsDeniedV1, decodeCallsDeniedV1, decodeJson } from '@metergate/contracts';
import { DataSource } from 'typeorm';
import { RecordProjector } from '../records/record-projector';
import { denialRows } from './denials-by-minute.projection';
import { DenialsSql } from './denials.sql';

/**
 * decision.denials.v1 into denials_by_minute. Rows are keyed by replica, org, minute and reason and take a
 * record's count, so a record read again (or sent again by its replica) changes nothing.
 */
export function denialsProjector(dataSource: DataSource, groupId: string): RecordProjector<CallsDeniedV1> {
  return new RecordProjector(dataSource, groupId, {
    decode: (value) => decodeCallsDeniedV1(decodeJson(value)),
    apply: async (tx, records) => {
      const rows = denialRows(records);
      if (rows.length === 0) return;
      await tx.query(DenialsSql.upsertDenials, [
        rows.map((r) => r.minute),
        rows.map((r) => r.orgId),
        rows.map((r) => r.reason),
        rows.map((r) => r.replicaId),
        rows.map((r) => r.count),
      ]);
    },
  });
}
