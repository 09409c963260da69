/** Every statement of the access event store (events, their outbox rows, the review queue), to review. */
export const AccessSql = {
  loadStream: `
    SELECT version, event_id, data, recorded_at
      FROM access_events
     WHERE org_id = $1
     ORDER BY version`,

  // The unique (org_id, version) is the optimistic lock: a second writer on the same version fails here.
  appendEvent: `
    INSERT INTO access_events (org_id, version, event_id, type, data, actor, occurred_at, recorded_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,

  enqueueOutbox: `
    INSERT INTO access_outbox (org_id, event_id, message) VALUES ($1, $2, $3)`,

  upsertApplication: `
    INSERT INTO access_applications
           (application_id, org_id, status, use_case, intended_use, risks, submitted_by, submitted_at,
            decided_by, decided_at, note, reason)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
    ON CONFLICT (application_id) DO UPDATE
       SET status = EXCLUDED.status, decided_by = EXCLUDED.decided_by, decided_at = EXCLUDED.decided_at,
           note = EXCLUDED.note, reason = EXCLUDED.reason`,

  orgOfApplication: `
    SELECT org_id FROM access_applications WHERE application_id = $1`,

  listApplications: `
    SELECT application_id, org_id, status, use_case, intended_use, risks, submitted_by, submitted_at,
           decided_by, decided_at, note, reason
      FROM access_applications
     WHERE status = $1
     ORDER BY submitted_at, application_id
     LIMIT $2`,
} as const;
