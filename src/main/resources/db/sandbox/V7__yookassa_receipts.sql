-- The YooKassa dialect's receipts (YooKassa's own 54-FZ receipts): the receipt sent inside a payment
-- or refund request, and the receipts created on their own (POST /v3/receipts, an advance's offset).
-- A receipt is pending until its payment succeeded (or its refund exists) and the "cash register" had
-- its processing time; it then succeeds with fiscal attributes, or is canceled (the test trigger:
-- a customer e-mail starting with receipt-canceled).
create table sbx_yookassa_receipts (
    id                     text primary key,
    type                   text        not null check (type in ('payment', 'refund')),
    payment_id             text        not null,
    refund_id              text,
    status                 text        not null check (status in ('pending', 'succeeded', 'canceled')),
    receipt                text        not null, -- JSON: customer, items, tax_system_code, settlements as received
    outcome                text        not null check (outcome in ('succeeded', 'canceled')),
    fiscal_document_number text,
    fiscal_storage_number  text,
    fiscal_attribute       text,
    fiscal_provider_id     text,
    registered_at          timestamptz,
    created_at             timestamptz not null
);

create index sbx_yookassa_receipts_payment on sbx_yookassa_receipts (payment_id, created_at);
create index sbx_yookassa_receipts_refund on sbx_yookassa_receipts (refund_id) where refund_id is not null;
