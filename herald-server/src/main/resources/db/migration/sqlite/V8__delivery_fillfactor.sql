-- Nothing to do on SQLite: PostgreSQL's V8 sets the delivery table's fillfactor for HOT updates, a
-- PostgreSQL storage setting. Kept so both dialects have the same migration versions.
SELECT 1;
