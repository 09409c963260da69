/** Every statement of the access projection, in one place to review. */
export const OrgAccessSql = {
  // Creates the partition's offset row when missing and locks it for the batch's transaction, so two
  // members that briefly both hold the partition during a rebalance apply it one after the other.
  lockPartitionOffset: `
    INSERT INTO consumer_offsets (consumer_group, topic, partition, next_offset)
    VALUES ($1, $2, $3, 0)
    ON CONFLICT (consumer_group, topic, partition)
      DO UPDATE SET next_offset = consumer_offsets.next_offset
    RETURNING next_offset`,

  savePartitionOffset: `
    UPDATE consumer_offsets SET next_offset = $4, updated_at = now()
     WHERE consumer_group = $1 AND topic = $2 AND partition = $3`,

  readGroupOffsets: `
    SELECT topic, partition, next_offset FROM consumer_offsets
     WHERE consumer_group = $1 AND topic = $2`,

  // Only a newer aggregate version replaces a row: this is what makes the projection idempotent.
  upsertOrgAccess: `
    INSERT INTO org_access (org_id, tier, status, limit_overrides, version, updated_at)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::int[], $6::timestamptz[])
    ON CONFLICT (org_id) DO UPDATE
       SET tier = EXCLUDED.tier, status = EXCLUDED.status, limit_overrides = EXCLUDED.limit_overrides,
           version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
     WHERE org_access.version < EXCLUDED.version`,
} as const;
