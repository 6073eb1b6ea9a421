-- Operator dashboard sessions: a browser signed in with an org API key. Only the SHA-256 of the
-- session secret is kept. A session reads its rights from its key, so revoking the key (the row is
-- deleted) ends its sessions too. Sessions end 12 hours after sign-in (expires_at) or on sign-out.
-- api_key.last_used_at: when the key was last used, written at most about once a minute per key.
-- Keep in step with postgresql/V15.
CREATE TABLE dashboard_session (
  session_hash  TEXT PRIMARY KEY,
  api_key_id    TEXT NOT NULL REFERENCES api_key(id) ON DELETE CASCADE,
  csrf_token    TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  expires_at    BIGINT NOT NULL,
  ended_at      BIGINT
);
CREATE INDEX dashboard_session_api_key ON dashboard_session (api_key_id);
ALTER TABLE api_key ADD COLUMN last_used_at BIGINT;
