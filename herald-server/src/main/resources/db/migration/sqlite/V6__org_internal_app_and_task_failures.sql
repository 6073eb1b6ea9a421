-- Every org has its internal application (which holds its operational-webhook endpoints) from its
-- creation on, so reading operational endpoints never writes; this adds it to orgs made before.
-- The id is derived from the org's as ApplicationStore.internalAppId does. Keep in step with
-- postgresql/V6.
INSERT INTO application (id, org_id, uid, name, metadata, throttle_rate, created_at, updated_at, internal)
SELECT 'app_ops_' || substr(o.id, instr(o.id, '_') + 1), o.id, NULL, 'Operational webhooks', '{}', NULL,
       o.created_at, o.created_at, TRUE
FROM org o
WHERE NOT EXISTS (SELECT 1 FROM application a WHERE a.org_id = o.id AND a.internal = TRUE);

-- A background task counts the runs that failed in a row and keeps the last reason; after a few it
-- ends as failed instead of being retried forever.
ALTER TABLE task ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE task ADD COLUMN failure TEXT;
CREATE INDEX task_org ON task(org_id, id);
