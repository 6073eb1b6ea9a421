-- Svix SDK fields: a message's tags (a JSON array of strings, filtered like channels) and its
-- scheduled delivery time (deliverAt, epoch milliseconds; null = at once), and an event type's
-- groupName. Keep in step with postgresql/V4.
ALTER TABLE message ADD COLUMN tags TEXT;
ALTER TABLE message ADD COLUMN deliver_at BIGINT;
ALTER TABLE event_type ADD COLUMN group_name TEXT;
