-- The outbox: events for the store, written in the same transaction as the change they
-- describe, and one delivery per (event, endpoint) that a worker sends at least once.

create table webhook_endpoints (
    id           text primary key,
    url          text not null,
    secret       text not null,
    enabled      boolean not null default true,
    created_at   timestamptz not null,
    disabled_at  timestamptz
);

create table outbox_events (
    id          text primary key,
    -- allocation order; within one order it is also commit order (events of an order are
    -- written under the order's row lock). Gaps are normal (rolled-back transactions).
    sequence    bigserial not null unique,
    type        text not null,
    order_id    text references orders(id),
    object_id   text not null,
    -- the exact bytes sent and signed (json keeps the text as written; jsonb would reorder it)
    payload     json not null,
    created_at  timestamptz not null
);
create index outbox_events_order_idx on outbox_events (order_id, id);
create index outbox_events_type_idx on outbox_events (type, id);

create table outbox_deliveries (
    event_id         text not null references outbox_events(id),
    endpoint_id      text not null references webhook_endpoints(id),
    event_sequence   bigint not null,
    status           text not null check (status in ('pending','delivered','failed')),
    attempts         int not null default 0 check (attempts >= 0),
    next_attempt_at  timestamptz not null,
    -- a claim: the instance that holds it sends; past lease_until anyone may claim it again
    lease_until      timestamptz,
    lease_token      text,
    leased_by        text,
    last_attempt_at  timestamptz,
    last_status      int,
    last_error       text,
    delivered_at     timestamptz,
    delivered_by     text,
    primary key (event_id, endpoint_id)
);
create index outbox_deliveries_due_idx on outbox_deliveries (next_attempt_at) where status = 'pending';
create index outbox_deliveries_endpoint_idx on outbox_deliveries (endpoint_id, status);
