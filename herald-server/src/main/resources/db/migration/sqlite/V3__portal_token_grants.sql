-- App-portal tokens remember what they were issued with, so every route can enforce it and the
-- portal can read it back: capabilities and feature flags as JSON arrays of names, and the
-- session the token belongs to (expire-all can end one session's tokens). NULL capabilities or
-- feature_flags mean no restriction: org keys, and portal tokens issued before this version
-- (which were full-rights and saw every event type). Keep in step with postgresql/V3.
ALTER TABLE api_key ADD COLUMN capabilities TEXT;
ALTER TABLE api_key ADD COLUMN feature_flags TEXT;
ALTER TABLE api_key ADD COLUMN session_id TEXT;
CREATE INDEX api_key_app_session ON api_key (app_id, session_id);
