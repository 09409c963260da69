/** Every statement of the access projection, in one place to review. */
export const OrgAccessSql = {
  // Only a newer aggregate version replaces a row: this is what makes the projection idempotent.
  upsertOrgAccess: `
    INSERT INTO org_access (org_id, tier, status, limit_overrides, version, updated_at)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::int[], $6::timestamptz[])
    ON CONFLICT (org_id) DO UPDATE
       SET tier = EXCLUDED.tier, status = EXCLUDED.status, limit_overrides = EXCLUDED.limit_overrides,
           version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
     WHERE org_access.version < EXCLUDED.version`,
} as const;
