-- The three indexes led by an application or endpoint id (an application's messages, an endpoint's
-- deliveries and attempts) put each accepted batch's entries on one leaf page per application or
-- endpoint, and SQLite's single writer wrote all those pages at every commit: without them the
-- writer's cost per delivered message fell by about a third and throughput rose by half
-- (docs/benchmarks.md, "Per-tenant indexes filled in bulk"). A row now enters them once it is
-- marked tenant_indexed, which TenantIndexes.fill does for every row written since the last fill,
-- once a second and before any read that uses one of them: each page then takes a second's worth
-- of entries at once. Rows not yet marked are found through the *_unindexed indexes, whose entries
-- follow the id order and so stay on the last page or two.
ALTER TABLE message ADD COLUMN tenant_indexed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE delivery ADD COLUMN tenant_indexed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE attempt ADD COLUMN tenant_indexed BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE message SET tenant_indexed = TRUE;
UPDATE delivery SET tenant_indexed = TRUE;
UPDATE attempt SET tenant_indexed = TRUE;

DROP INDEX message_app;
DROP INDEX delivery_endpoint;
DROP INDEX attempt_endpoint;
CREATE INDEX message_app ON message(app_id, id) WHERE tenant_indexed;
CREATE INDEX delivery_endpoint ON delivery(endpoint_id, id) WHERE tenant_indexed;
CREATE INDEX attempt_endpoint ON attempt(endpoint_id, id) WHERE tenant_indexed;
CREATE INDEX message_unindexed ON message(id) WHERE NOT tenant_indexed;
CREATE INDEX delivery_unindexed ON delivery(id) WHERE NOT tenant_indexed;
CREATE INDEX attempt_unindexed ON attempt(id) WHERE NOT tenant_indexed;
