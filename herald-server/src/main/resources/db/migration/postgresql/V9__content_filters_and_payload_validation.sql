-- An endpoint's content filter (docs/filters.md), as the JSON it was saved as; NULL = no filter.
ALTER TABLE endpoint ADD COLUMN content_filter TEXT;
-- An event type may ask for its payloads to be validated against its schema (HERALD_VALIDATE_PAYLOADS
-- turns that on for every event type).
ALTER TABLE event_type ADD COLUMN validate_payloads BOOLEAN NOT NULL DEFAULT FALSE;
