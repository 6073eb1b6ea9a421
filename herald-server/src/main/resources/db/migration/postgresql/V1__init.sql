-- Herald schema, PostgreSQL dialect. Times are epoch milliseconds (BIGINT) in both dialects so the
-- SQL in the store stays identical; JSON documents are TEXT. Keep in step with sqlite/V1__init.sql.
-- Ids and names are COLLATE "C": they are sort keys and cursors, and must compare byte by byte
-- (ids are time-ordered in byte order) whatever collation the database was created with.

CREATE TABLE org (
  id          TEXT COLLATE "C" PRIMARY KEY,
  name        TEXT COLLATE "C" NOT NULL,
  created_at  BIGINT NOT NULL
);

CREATE TABLE api_key (
  id          TEXT COLLATE "C" PRIMARY KEY,
  org_id      TEXT COLLATE "C" NOT NULL REFERENCES org(id),
  app_id      TEXT COLLATE "C",
  key_hash    TEXT NOT NULL UNIQUE,
  name        TEXT COLLATE "C" NOT NULL,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT
);

CREATE TABLE application (
  id            TEXT COLLATE "C" PRIMARY KEY,
  org_id        TEXT COLLATE "C" NOT NULL REFERENCES org(id),
  uid           TEXT,
  name          TEXT COLLATE "C" NOT NULL,
  metadata      TEXT NOT NULL,
  throttle_rate INTEGER,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  deleted_at    BIGINT
);
CREATE UNIQUE INDEX application_uid ON application(org_id, uid) WHERE deleted_at IS NULL;
CREATE INDEX application_org ON application(org_id, id);

CREATE TABLE event_type (
  id            TEXT COLLATE "C" PRIMARY KEY,
  org_id        TEXT COLLATE "C" NOT NULL REFERENCES org(id),
  name          TEXT COLLATE "C" NOT NULL,
  description   TEXT NOT NULL,
  schemas       TEXT,
  archived      BOOLEAN NOT NULL,
  deprecated    BOOLEAN NOT NULL,
  feature_flag  TEXT,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX event_type_name ON event_type(org_id, name);

CREATE TABLE endpoint (
  id                TEXT COLLATE "C" PRIMARY KEY,
  org_id            TEXT COLLATE "C" NOT NULL REFERENCES org(id),
  app_id            TEXT COLLATE "C" NOT NULL REFERENCES application(id),
  uid               TEXT,
  url               TEXT NOT NULL,
  description       TEXT NOT NULL,
  disabled          BOOLEAN NOT NULL,
  event_types       TEXT,
  channels          TEXT,
  throttle_rate     INTEGER,
  metadata          TEXT NOT NULL,
  secret_enc        TEXT NOT NULL,
  old_secrets_enc   TEXT,
  headers_enc       TEXT,
  failing_since     BIGINT,
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL,
  deleted_at        BIGINT
);
CREATE UNIQUE INDEX endpoint_uid ON endpoint(app_id, uid) WHERE deleted_at IS NULL;
CREATE INDEX endpoint_app ON endpoint(app_id, id);

CREATE TABLE message (
  id            TEXT COLLATE "C" PRIMARY KEY,
  org_id        TEXT COLLATE "C" NOT NULL REFERENCES org(id),
  app_id        TEXT COLLATE "C" NOT NULL REFERENCES application(id),
  event_type    TEXT NOT NULL,
  event_id      TEXT,
  channels      TEXT,
  traceparent   TEXT,
  created_at    BIGINT NOT NULL,
  expires_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX message_event_id ON message(app_id, event_id);
CREATE INDEX message_app ON message(app_id, id);

-- The payload lives apart from the message row so expunging or expiring content is a cheap delete.
CREATE TABLE message_payload (
  message_id    TEXT COLLATE "C" PRIMARY KEY REFERENCES message(id),
  payload       BYTEA NOT NULL,
  expires_at    BIGINT NOT NULL
);

-- The work queue: one row per message x endpoint. status: 0 success, 1 pending, 2 failed, 3 sending.
CREATE TABLE delivery (
  id                TEXT COLLATE "C" PRIMARY KEY,
  org_id            TEXT COLLATE "C" NOT NULL,
  app_id            TEXT COLLATE "C" NOT NULL,
  message_id        TEXT COLLATE "C" NOT NULL REFERENCES message(id),
  endpoint_id       TEXT COLLATE "C" NOT NULL REFERENCES endpoint(id),
  status            SMALLINT NOT NULL,
  manual            BOOLEAN NOT NULL,
  attempt_count     INTEGER NOT NULL,
  next_attempt_at   BIGINT,
  lease_owner       TEXT,
  lease_expires_at  BIGINT,
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL
);
CREATE INDEX delivery_due ON delivery(next_attempt_at) WHERE status = 1;
CREATE INDEX delivery_message ON delivery(message_id);
CREATE INDEX delivery_endpoint ON delivery(endpoint_id, id);

CREATE TABLE attempt (
  id                    TEXT COLLATE "C" PRIMARY KEY,
  org_id                TEXT COLLATE "C" NOT NULL,
  app_id                TEXT COLLATE "C" NOT NULL,
  message_id            TEXT COLLATE "C" NOT NULL,
  endpoint_id           TEXT COLLATE "C" NOT NULL,
  delivery_id           TEXT COLLATE "C" NOT NULL,
  url                   TEXT NOT NULL,
  status                SMALLINT NOT NULL,
  response_status_code  INTEGER NOT NULL,
  response              TEXT,
  response_duration_ms  BIGINT NOT NULL,
  trigger_type          SMALLINT NOT NULL,
  created_at            BIGINT NOT NULL
);
CREATE INDEX attempt_endpoint ON attempt(endpoint_id, id);
CREATE INDEX attempt_message ON attempt(message_id, id);

CREATE TABLE idempotency (
  org_id        TEXT COLLATE "C" NOT NULL,
  idem_key      TEXT COLLATE "C" NOT NULL,
  request_hash  TEXT NOT NULL,
  status_code   INTEGER,
  response      BYTEA,
  created_at    BIGINT NOT NULL,
  expires_at    BIGINT NOT NULL,
  PRIMARY KEY (org_id, idem_key)
);

CREATE TABLE task (
  id                TEXT COLLATE "C" PRIMARY KEY,
  org_id            TEXT COLLATE "C" NOT NULL,
  app_id            TEXT COLLATE "C",
  kind              TEXT NOT NULL,
  status            TEXT NOT NULL,
  params            TEXT NOT NULL,
  progress          TEXT,
  lease_owner       TEXT,
  lease_expires_at  BIGINT,
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL
);
CREATE INDEX task_status ON task(status);
