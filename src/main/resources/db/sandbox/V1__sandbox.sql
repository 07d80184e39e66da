-- The sandbox payment provider's own state. It is a separate system: its own schema,
-- its own connection pool, and in fault-injection runs its own process.
create table sbx_payments (
    id                  text primary key,
    merchant_reference  text not null,
    amount              bigint not null check (amount > 0),
    currency            char(3) not null,
    capture_method      text not null check (capture_method in ('automatic', 'manual')),
    status              text not null
                        check (status in ('pending', 'waiting_for_capture', 'succeeded', 'canceled')),
    cancellation_reason text,
    amount_authorized   bigint not null default 0,
    amount_captured     bigint not null default 0,
    amount_released     bigint not null default 0,
    amount_refunded     bigint not null default 0,
    three_d_secure      text,
    return_url          text,
    faults              jsonb,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    -- the money invariants every state change must keep
    check (amount_authorized between 0 and amount),
    check (amount_captured + amount_released <= amount_authorized),
    check (amount_refunded between 0 and amount_captured)
);
create index sbx_payments_merchant_reference on sbx_payments (merchant_reference);

create table sbx_captures (
    id          text primary key,
    payment_id  text not null references sbx_payments(id),
    amount      bigint not null check (amount > 0),
    created_at  timestamptz not null
);
create index sbx_captures_payment on sbx_captures (payment_id);

create table sbx_refunds (
    id                  text primary key,
    payment_id          text not null references sbx_payments(id),
    merchant_reference  text,
    amount              bigint not null check (amount > 0),
    status              text not null,
    created_at          timestamptz not null
);
create index sbx_refunds_payment on sbx_refunds (payment_id);

create table sbx_events (
    id           text primary key,
    type         text not null,
    payment_id   text not null,
    payload      text not null,
    created_at   timestamptz not null,
    delivered_at timestamptz,
    attempts     int not null default 0,
    last_status  int,
    dropped      boolean not null default false
);
create index sbx_events_payment on sbx_events (payment_id);
-- the redelivery sweep looks only at events still owed to the receiver
create index sbx_events_undelivered on sbx_events (created_at) where delivered_at is null and not dropped;

-- key is "<request path> <Idempotency-Key>": the same key on two endpoints is two keys
create table sbx_idempotency (
    key            text primary key,
    request_hash   text not null,
    response_body  text not null,
    response_status int not null,
    created_at     timestamptz not null
);
create index sbx_idempotency_created on sbx_idempotency (created_at);
