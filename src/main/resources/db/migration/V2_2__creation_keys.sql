-- Objects created under an Idempotency-Key remember it, so that a request re-executed after
-- a crash (its first run committed, its answer was never stored) finds what it created
-- instead of creating it again.
alter table orders add column creation_key text unique;
alter table payments add column creation_key text unique;
alter table refunds add column creation_key text unique;

-- Stored answers are only ever written complete (the claim is an uncommitted row).
alter table idempotency_keys alter column status set default 'completed';
