-- Only messages sent with an eventId need the (application, eventId) uniqueness check; NULLs never
-- conflict. Without the WHERE every message without an eventId still had an entry, filed under its
-- application, so each accepted batch wrote one more index page per application it touched: on
-- SQLite about a fifth of the single writer's cost per message (docs/benchmarks.md). Every query by
-- eventId compares it with a value, which implies IS NOT NULL, so they keep this index.
DROP INDEX message_event_id;
CREATE UNIQUE INDEX message_event_id ON message(app_id, event_id) WHERE event_id IS NOT NULL;
