-- Whether a delivery belongs to an ordered endpoint, copied from the endpoint when the row is
-- written and when the endpoint's ordered setting changes: partial indexes can only test the
-- row's own columns. SQLite's V17 uses it to keep leased rows out of delivery_endpoint_due.
-- PostgreSQL keeps that index on status = 1 alone: an index predicate's columns count as indexed
-- there, so lease changes would no longer be HOT updates (migration V8). Adding a column with a
-- constant default rewrites nothing.
ALTER TABLE delivery ADD COLUMN ordered BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE delivery SET ordered = TRUE
 WHERE status = 1 AND endpoint_id IN (SELECT id FROM endpoint WHERE ordered);
