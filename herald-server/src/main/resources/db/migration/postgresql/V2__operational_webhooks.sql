-- Operational webhooks: each org's operational endpoints belong to an internal application that
-- the application API never shows, and a delivery remembers whether it reported itself failing
-- (so a later success reports message.attempt.recovered). Keep in step with sqlite/V2.
ALTER TABLE application ADD COLUMN internal BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE delivery ADD COLUMN failing_notified BOOLEAN NOT NULL DEFAULT FALSE;
