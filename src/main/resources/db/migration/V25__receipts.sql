-- 54-FZ fiscal receipts (module fiscal). A receipt's intent is inserted in the same transaction as
-- the money fact (capture, refund) or the fulfilment that calls for it; the row is also its outbox
-- entry: the fiscal worker claims due rows (FOR UPDATE SKIP LOCKED, a lease), sends them to the
-- fiscal provider, asks for the result, and records the answer here.
create table receipts (
    id              text primary key,
    order_id        text not null,
    payment_id      text,
    refund_id       text,
    -- what called for it, once: a money fact's transaction id, 'fulfilment:<order>', 'correction:<id>'
    source          text not null unique,
    corrects_id     text references receipts (id),
    type            text not null check (type in ('sell', 'sell_refund', 'sell_correction', 'sell_refund_correction')),
    payment_method  text not null check (payment_method in ('full_prepayment', 'full_payment')),
    purpose         text not null check (purpose in ('prepayment', 'offset', 'full_payment', 'refund', 'correction')),
    status          text not null check (status in ('pending', 'done', 'failed')),
    total           bigint not null check (total >= 0),
    currency        char(3) not null,
    items           jsonb not null,
    vats            jsonb not null,
    data            jsonb not null default '{}',
    provider        text not null check (provider in ('atol', 'yookassa')),
    external_id     text not null unique,
    external_uuid   text,
    fiscal          jsonb,
    error           jsonb,
    attempts        int not null default 0 check (attempts >= 0),
    polls           int not null default 0 check (polls >= 0),
    next_attempt_at timestamptz,
    lease_until     timestamptz,
    sent_at         timestamptz,
    done_at         timestamptz,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    check ((status = 'done') = (done_at is not null)),
    check (status <> 'done' or fiscal is not null)
);

create index receipts_order on receipts (order_id, id);
create index receipts_created on receipts (created_at, id);
create index receipts_status on receipts (status, id);
create index receipts_due on receipts (next_attempt_at) where status = 'pending';
