-- The sandbox payment provider's own state. It is a separate system: its own schema,
-- its own connection pool, and in fault-injection runs its own process.
create table sbx_payments (
    id                  text primary key,
    merchant_reference  text not null,
    amount              bigint not null check (amount > 0),
    currency            char(3) not null,
    capture_method      text not null,
    status              text not null,
    cancellation_reason text,
    amount_captured     bigint not null default 0,
    amount_refunded     bigint not null default 0,
    three_d_secure      text,
    return_url          text,
    faults              jsonb,
    created_at          timestamptz not null,
    updated_at          timestamptz not null
);

create table sbx_captures (
    id          text primary key,
    payment_id  text not null references sbx_payments(id),
    amount      bigint not null,
    created_at  timestamptz not null
);

create table sbx_refunds (
    id                  text primary key,
    payment_id          text not null references sbx_payments(id),
    merchant_reference  text,
    amount              bigint not null,
    status              text not null,
    created_at          timestamptz not null
);

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

create table sbx_idempotency (
    key            text primary key,
    request_hash   text not null,
    response_body  text not null,
    response_status int not null,
    created_at     timestamptz not null
);
