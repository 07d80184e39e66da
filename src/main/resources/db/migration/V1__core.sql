-- Moneytrail core schema: orders, payments, refunds, money transactions, timeline,
-- webhook inbox, idempotency keys and secret keys.
-- Money is bigint minor units with a char(3) currency; times are timestamptz (UTC).

create table api_keys (
    id          text primary key,
    name        text not null,
    key_sha256  bytea not null unique,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);

create table orders (
    id                 text primary key,
    reference          text,
    currency           char(3) not null,
    amount_total       bigint not null check (amount_total > 0),
    vat_total          bigint not null check (vat_total >= 0),
    status             text not null check (status in ('open','fulfilled','cancelled','expired')),
    customer_email     text,
    customer_phone     text,
    metadata           jsonb not null default '{}'::jsonb,
    created_at         timestamptz not null,
    updated_at         timestamptz not null
);
create index orders_status_idx on orders (status, id);
create index orders_reference_idx on orders (reference);

create table order_lines (
    order_id     text not null references orders(id),
    line_no      int not null,
    sku          text not null,
    name         text not null,
    quantity     bigint not null check (quantity > 0),
    unit_amount  bigint not null check (unit_amount > 0),
    vat_rate     int check (vat_rate between 0 and 100),
    amount_total bigint not null check (amount_total > 0),
    amount_vat   bigint not null check (amount_vat >= 0),
    primary key (order_id, line_no)
);

create table payments (
    id                   text primary key,
    order_id             text not null references orders(id),
    provider             text not null,
    provider_payment_id  text unique,
    capture_method       text not null check (capture_method in ('automatic','manual')),
    status               text not null,
    amount               bigint not null check (amount > 0),
    currency             char(3) not null,
    return_url           text,
    redirect_url         text,
    failure_code         text,
    failure_message      text,
    created_at           timestamptz not null,
    updated_at           timestamptz not null
);
create index payments_order_idx on payments (order_id);
create index payments_status_idx on payments (status, updated_at);

create table refunds (
    id                  text primary key,
    payment_id          text not null references payments(id),
    order_id            text not null references orders(id),
    provider_refund_id  text unique,
    amount              bigint not null check (amount > 0),
    currency            char(3) not null,
    status              text not null check (status in ('pending','succeeded','failed','unknown')),
    reason              text,
    failure_message     text,
    created_at          timestamptz not null,
    updated_at          timestamptz not null
);
create index refunds_payment_idx on refunds (payment_id);

-- Every money movement is one immutable row. Derived statuses are computed from these.
create table payment_transactions (
    id                  text primary key,
    payment_id          text not null references payments(id),
    order_id            text not null references orders(id),
    refund_id           text references refunds(id),
    kind                text not null check (kind in ('authorization','capture','void','refund')),
    amount_minor        bigint not null check (amount_minor > 0),
    currency            char(3) not null,
    provider_reference  text not null,
    occurred_at         timestamptz not null,
    recorded_at         timestamptz not null default now(),
    unique (payment_id, kind, provider_reference)
);
create index payment_transactions_order_idx on payment_transactions (order_id);

create function forbid_change() returns trigger language plpgsql as $$
begin
    raise exception '% rows are immutable', tg_table_name;
end $$;
create trigger payment_transactions_immutable before update or delete on payment_transactions
    for each row execute function forbid_change();

-- The one place where an order's payment status is derived from its money facts.
-- "authorized" counts money held but not yet captured or released.
create view order_money as
select o.id as order_id,
       m.amount_authorized,
       m.amount_captured,
       m.amount_voided,
       m.amount_refunded,
       greatest(m.amount_authorized - m.amount_captured - m.amount_voided, 0) as amount_authorized_open,
       case
           when m.amount_captured = 0 and m.amount_authorized - m.amount_voided > 0 then 'authorized'
           when m.amount_captured = 0 and p.has_pending then 'pending'
           when m.amount_captured = 0 then 'unpaid'
           when m.amount_refunded = 0 and m.amount_captured < o.amount_total then 'partially_paid'
           when m.amount_refunded = 0 and m.amount_captured = o.amount_total then 'paid'
           when m.amount_refunded = 0 then 'overpaid'
           when m.amount_captured - m.amount_refunded = 0 then 'refunded'
           when m.amount_captured - m.amount_refunded < o.amount_total then 'partially_refunded'
           when m.amount_captured - m.amount_refunded = o.amount_total then 'paid'
           else 'overpaid'
       end as payment_status
from orders o
cross join lateral (
    select coalesce(sum(t.amount_minor) filter (where t.kind = 'authorization'), 0) as amount_authorized,
           coalesce(sum(t.amount_minor) filter (where t.kind = 'capture'), 0)       as amount_captured,
           coalesce(sum(t.amount_minor) filter (where t.kind = 'void'), 0)          as amount_voided,
           coalesce(sum(t.amount_minor) filter (where t.kind = 'refund'), 0)        as amount_refunded
    from payment_transactions t where t.order_id = o.id
) m
cross join lateral (
    select exists (select 1 from payments p
                   where p.order_id = o.id
                     and p.status in ('requires_action','processing','unknown')) as has_pending
) p;

create table timeline (
    id           bigserial primary key,
    order_id     text not null references orders(id),
    occurred_at  timestamptz not null,
    kind         text not null,
    summary      text not null,
    data         jsonb not null default '{}'::jsonb
);
create index timeline_order_idx on timeline (order_id, id);

create table webhook_inbox (
    id                  text primary key,
    provider            text not null,
    provider_event_id   text,
    event_type          text,
    provider_payment_id text,
    status              text not null check (status in ('received','processed','unmatched','rejected','failed')),
    rejection_reason    text,
    signature_header    text,
    raw_body            bytea not null,
    received_at         timestamptz not null,
    processed_at        timestamptz,
    attempts            int not null default 0,
    last_error          text
);
-- Rejected (unverified) webhooks are kept without an event id: an id we could not verify is not trusted.
create unique index webhook_inbox_event_uq on webhook_inbox (provider, provider_event_id)
    where provider_event_id is not null;
create index webhook_inbox_status_idx on webhook_inbox (status, received_at);

create table idempotency_keys (
    api_key_id       text not null,
    key              text not null,
    request_hash     bytea not null,
    status           text not null check (status in ('in_progress','completed')),
    response_status  int,
    response_body    bytea,
    response_type    text,
    created_at       timestamptz not null default now(),
    completed_at     timestamptz,
    primary key (api_key_id, key)
);
