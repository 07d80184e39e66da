-- The ATOL Online v5 dialect (a cloud cash register service, not a payment acquirer): its
-- tokens, the documents registered with it (sell, sell_refund and their corrections) and the
-- faults set for a document by its external_id. Nothing here touches sbx_payments.

create table sbx_atol_tokens (
    token      text primary key,
    login      text        not null,
    issued_at  timestamptz not null,
    expires_at timestamptz not null -- 24 hours after issue, as ATOL's
);

create table sbx_atol_documents (
    uuid                   text primary key,
    group_code             text        not null,
    external_id            text        not null,
    operation              text        not null check (operation in
                               ('sell', 'sell_refund', 'sell_correction', 'sell_refund_correction')),
    request                text        not null, -- the body as it was received
    callback_url           text,
    plan                   text        not null, -- JSON: how the document settles (outcome, error), decided by the faults
    status                 text        not null check (status in ('wait', 'done', 'fail')),
    error                  text,                 -- JSON: ATOL's error object, once failed
    payload                text,                 -- JSON: the fiscal attributes, once done
    shift_number           integer,
    fiscal_receipt_number  integer,
    fiscal_document_number bigint,
    ready_at               timestamptz not null, -- when the "cash register" settles it
    created_at             timestamptz not null,
    settled_at             timestamptz,
    callback_attempts      integer     not null default 0,
    callback_last_status   integer,
    callback_delivered_at  timestamptz,
    unique (group_code, external_id)          -- ATOL's de-duplication: a repeat is error 33
);

create index sbx_atol_documents_due on sbx_atol_documents (ready_at) where status = 'wait';
create index sbx_atol_documents_callbacks on sbx_atol_documents (settled_at)
    where callback_url is not null and callback_delivered_at is null and status <> 'wait';

create sequence sbx_atol_fiscal_document_numbers start with 1001;

create table sbx_atol_faults (
    external_id text primary key,
    profile     text        not null, -- JSON, as POST /sandbox/api/atol/faults took it
    updated_at  timestamptz not null
);
