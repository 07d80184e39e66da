-- The sandbox's Stripe dialect: disputes (Stripe's charge.dispute.*), which the sandbox itself
-- does not model. A dispute withdraws its amount from the balance when it is filed as a
-- chargeback (not while it is an inquiry, warning_*) and gives it back when it is won.
create table sbx_stripe_disputes (
    id                   text primary key,
    payment_id           text not null references sbx_payments(id),
    amount               bigint not null check (amount > 0),
    currency             char(3) not null,
    status               text not null check (status in ('warning_needs_response', 'warning_under_review',
                             'warning_closed', 'needs_response', 'under_review', 'won', 'lost', 'prevented')),
    reason               text not null,
    funds_withdrawn_at   timestamptz,
    funds_reinstated_at  timestamptz,
    created_at           timestamptz not null,
    updated_at           timestamptz not null,
    check (funds_reinstated_at is null or funds_withdrawn_at is not null)
);
create index sbx_stripe_disputes_payment on sbx_stripe_disputes (payment_id);
