-- An ordered endpoint receives its deliveries one at a time, in the order they were created. Only
-- the oldest pending delivery of such an endpoint (its head) has a due time; the others wait with
-- next_attempt_at NULL (status 1) until the head succeeds or is exhausted.
ALTER TABLE endpoint ADD COLUMN ordered BOOLEAN NOT NULL DEFAULT FALSE;
