-- Stored inbound webhooks are retried by a sweep that every instance runs. The sweep claims a
-- row with FOR UPDATE SKIP LOCKED and leases it until lease_until, so two instances never
-- process the same stored event at once; the instance that received an event holds the lease
-- while it processes it. A crashed instance's lease runs out and another instance retries.
alter table webhook_inbox add column lease_until timestamptz;
alter table webhook_inbox add column leased_by text;
create index webhook_inbox_retry_idx on webhook_inbox (received_at)
    where status in ('received', 'failed', 'unmatched');
