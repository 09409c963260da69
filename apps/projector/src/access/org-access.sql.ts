/** Every statement of the access projection, in one place to review. */
export const OrgAccessSql = {
  // Only a newer aggregate version replaces a row: this is what makes the projection idempotent.
  upsertOrgAccess: `
    INSERT INTO org_access (org_id, tier, status, limit_overrides, api_keys, models, version, updated_at)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::jsonb[], $7::int[],
                         $8::timestamptz[])
    ON CONFLICT (org_id) DO UPDATE
       SET tier = EXCLUDED.tier, status = EXCLUDED.status, limit_overrides = EXCLUDED.limit_overrides,
           api_keys = EXCLUDED.api_keys, models = EXCLUDED.models,
           version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
     WHERE org_access.version < EXCLUDED.version`,
} as const;
