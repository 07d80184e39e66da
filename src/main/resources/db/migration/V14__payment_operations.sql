-- Captures and voids as intents. A capture or void is committed here first (with the
-- resolver's check of the payment), then the provider is called with no row lock and no
-- pooled connection held, then its answer is applied in a second short transaction that
-- marks the row done. A row is a separate table rather than columns on payments because a
-- payment sees several captures over its life, and each keeps its own idempotency key.
--
--   open     the intent is committed; the provider call may be in flight
--   unknown  the call ended without an answer (timeout, 5xx): the resolver re-issues it
--   done     the provider's answer (or the resolver's decision to give up) is saved
--
-- At most one unfinished operation per payment: a second capture or void while one is in
-- flight is refused (409 payment_operation_in_progress), so two racing captures cannot both
-- pass the "no more than is authorised" check. A row left open by a crash is found by the
-- resolver (through the payment's scheduled check) once it is older than any provider
-- timeout, and re-issued with the same idempotency key: the provider answers with what it
-- did the first time, or does it once.
create table payment_operations (
    id               text primary key,
    payment_id       text not null references payments (id),
    kind             text not null check (kind in ('capture', 'void')),
    amount_minor     bigint not null check (amount_minor >= 0),
    idempotency_key  text not null,
    status           text not null check (status in ('open', 'unknown', 'done')),
    result           text,
    created_at       timestamptz not null,
    finished_at      timestamptz
);
create unique index payment_operations_one_unfinished on payment_operations (payment_id)
    where status in ('open', 'unknown');
