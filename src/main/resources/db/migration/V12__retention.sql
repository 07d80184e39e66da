-- Retention (moneytrail.retention.*): the purge job finds old rows by these. Rejected
-- webhooks are found by webhook_inbox_status_idx (status, received_at); an event's
-- deliveries by the primary key of outbox_deliveries (event_id, endpoint_id).
create index idempotency_keys_created_idx on idempotency_keys (created_at);
create index outbox_events_created_idx on outbox_events (created_at);
