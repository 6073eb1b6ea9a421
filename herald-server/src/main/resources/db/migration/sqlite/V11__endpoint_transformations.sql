-- An endpoint's transformation (docs/transformations.md): JavaScript run on each attempt before
-- signing. One row per endpoint that ever had one; code NULL = none.
CREATE TABLE endpoint_transformation (
  endpoint_id  TEXT PRIMARY KEY REFERENCES endpoint(id),
  code         TEXT,
  enabled      BOOLEAN NOT NULL,
  updated_at   BIGINT NOT NULL
);
