-- Incoming webhooks (docs/incoming.md). A source belongs to an application; requests to its ingest
-- URL become messages of that application. Settings are JSON; the secrets are encrypted
-- (SecretCipher), never stored in clear.
CREATE TABLE inbound_source (
  id                    TEXT PRIMARY KEY,
  org_id                TEXT NOT NULL REFERENCES org(id),
  app_id                TEXT NOT NULL REFERENCES application(id),
  uid                   TEXT,
  name                  TEXT NOT NULL,
  disabled              BOOLEAN NOT NULL DEFAULT FALSE,
  settings              TEXT NOT NULL,
  secrets_enc           TEXT NOT NULL,
  -- The id in the ingest URL; after a token rotation the previous one keeps working until
  -- old_ingest_expires_at.
  ingest_id             TEXT NOT NULL,
  old_ingest_id         TEXT,
  old_ingest_expires_at BIGINT,
  created_at            BIGINT NOT NULL,
  updated_at            BIGINT NOT NULL,
  deleted_at            BIGINT
);
CREATE UNIQUE INDEX inbound_source_uid ON inbound_source(app_id, uid) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX inbound_source_ingest ON inbound_source(ingest_id);
CREATE INDEX inbound_source_old_ingest ON inbound_source(old_ingest_id);
CREATE INDEX inbound_source_app ON inbound_source(app_id, id);

-- De-duplication keys (hashed), written in the transaction that creates the message.
CREATE TABLE inbound_dedupe (
  source_id   TEXT NOT NULL,
  key_hash    TEXT NOT NULL,
  message_id  TEXT,
  expires_at  BIGINT NOT NULL,
  PRIMARY KEY (source_id, key_hash)
);
CREATE INDEX inbound_dedupe_expiry ON inbound_dedupe(expires_at);

-- Recent requests to a source's ingest URL, with the reason of each refusal; headers redacted.
CREATE TABLE inbound_request (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL,
  source_id    TEXT NOT NULL,
  status       TEXT NOT NULL,
  reason       TEXT,
  detail       TEXT,
  http_status  INTEGER NOT NULL,
  event_type   TEXT,
  dedupe_key   TEXT,
  message_id   TEXT,
  headers      TEXT NOT NULL,
  body_size    BIGINT NOT NULL,
  received_at  BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL
);
CREATE INDEX inbound_request_source ON inbound_request(source_id, id);
CREATE INDEX inbound_request_expiry ON inbound_request(expires_at);
