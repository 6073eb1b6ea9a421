-- One endpoint's due work, earliest first: the claim for an endpoint whose lane on a node had no
-- room reads its rows alone here, instead of walking delivery_due past every other endpoint's
-- backlog (a hundred hanging endpoints' retries, say) to reach them. Partial like delivery_due, so
-- it holds pending rows only and stays as small as the queue.
CREATE INDEX delivery_endpoint_due ON delivery(endpoint_id, next_attempt_at) WHERE status = 1;
