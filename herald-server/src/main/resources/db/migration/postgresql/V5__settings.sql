-- Installation-wide facts every node must agree on, such as the check value of the main key
-- (an HMAC of a fixed label under the key, never the key). Keep in step with sqlite/V5.
CREATE TABLE herald_setting (
  name TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
