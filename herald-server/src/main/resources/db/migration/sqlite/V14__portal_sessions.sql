-- Portal sessions: a single-use link (only its SHA-256 kept) issued with an app-portal token, and
-- the browser session it was exchanged for. A session holds no rights of its own: it reads them
-- from its token, so the token's expiry, expire-all and logout end the session too. A used link
-- keeps its row (opened_at set) so a second use can be told apart from a link that never existed.
-- Keep in step with postgresql/V14.
CREATE TABLE portal_session (
  link_hash     TEXT PRIMARY KEY,
  api_key_id    TEXT NOT NULL REFERENCES api_key(id) ON DELETE CASCADE,
  session_hash  TEXT UNIQUE,
  csrf_token    TEXT,
  created_at    BIGINT NOT NULL,
  opened_at     BIGINT,
  ended_at      BIGINT
);
CREATE INDEX portal_session_api_key ON portal_session (api_key_id);
