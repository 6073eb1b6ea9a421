-- SQLite enters rows in its indexes by application and endpoint in bulk and marks them
-- tenant_indexed when it does (see its V18). PostgreSQL keeps those indexes as they are, taking
-- every row as it is written: its writes do not wait on one writer. The column keeps both schemas
-- alike; every row here is in the indexes, so it is TRUE (a constant default: no table rewrite).
ALTER TABLE message ADD COLUMN tenant_indexed BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE delivery ADD COLUMN tenant_indexed BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE attempt ADD COLUMN tenant_indexed BOOLEAN NOT NULL DEFAULT TRUE;
