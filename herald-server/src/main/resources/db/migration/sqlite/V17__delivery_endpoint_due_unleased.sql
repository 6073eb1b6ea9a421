-- Whether a delivery belongs to an ordered endpoint, copied from the endpoint when the row is
-- written and when the endpoint's ordered setting changes: partial indexes can only test the
-- row's own columns.
ALTER TABLE delivery ADD COLUMN ordered BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE delivery SET ordered = TRUE
 WHERE status = 1 AND endpoint_id IN (SELECT id FROM endpoint WHERE ordered);

-- The per-endpoint claim reads rows nobody holds, so its index leaves leased rows out. A message
-- accepted and sent at once is leased from its first write to its completion, so it never enters
-- this index: the single writer no longer adds and removes an entry per delivery on a leaf page
-- per endpoint, about 16 % of its CPU per message (docs/benchmarks.md). A lease that lapses is
-- found by the claim of all due work, which walks delivery_due. (PostgreSQL keeps status = 1
-- alone: an index predicate's columns count as indexed there, so lease changes would no longer be
-- HOT updates.)
DROP INDEX delivery_endpoint_due;
CREATE INDEX delivery_endpoint_due ON delivery(endpoint_id, next_attempt_at)
 WHERE status = 1 AND lease_owner IS NULL;

-- Ordered endpoints' queues need their pending rows in flight too (the head being sent):
-- OrderedQueue and EndpointStore.reorder read them here. Only ordered endpoints have entries.
CREATE INDEX delivery_ordered_pending ON delivery(endpoint_id, id) WHERE status = 1 AND ordered;
