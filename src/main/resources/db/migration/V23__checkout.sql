-- Hosted checkout (issue 13): sessions a store creates for an order, and the funnel's events.
-- Both tables belong to the checkout module.

-- A checkout session: the customer's page for one order, reached by an unguessable token
-- (256 random bits, not the id). status: open until the order is paid or authorised (complete)
-- or the session's time runs out (expired). The current attempt is the payment the page started
-- last; returned_payment_id is the attempt the customer came back from (the page then shows the
-- waiting state instead of the choice).
create table checkout_sessions (
    id                  text primary key,
    token               text not null unique,
    url                 text not null,
    order_id            text not null,
    status              text not null check (status in ('open', 'complete', 'expired')),
    return_url          text not null,
    cancel_url          text,
    locale              text check (locale in ('en', 'ru')),
    providers           text[],
    creation_key        text unique,
    created_at          timestamptz not null,
    expires_at          timestamptz not null,
    device              text check (device in ('desktop', 'mobile', 'tablet', 'unknown')),
    viewed_at           timestamptz,
    last_step_at        timestamptz,
    abandoned_at        timestamptz,
    closed_at           timestamptz,
    current_payment_id  text,
    current_provider    text,
    returned_payment_id text,
    returned_at         timestamptz,
    check ((status = 'open') = (closed_at is null))
);

create index checkout_sessions_order on checkout_sessions (order_id, created_at desc);
-- the abandonment sweep: open sessions that were viewed and not yet abandoned, by their last step
create index checkout_sessions_idle on checkout_sessions (last_step_at)
    where status = 'open' and viewed_at is not null and abandoned_at is null;
-- the expiry sweep
create index checkout_sessions_expiry on checkout_sessions (expires_at) where status = 'open';

-- The funnel: one row per step a customer (or the money) took. session_id is null for an order
-- paid through the API without a checkout session (its funnel starts at payment_started).
create table checkout_events (
    id          bigserial primary key,
    session_id  text,
    order_id    text not null,
    provider    text,
    device      text not null check (device in ('desktop', 'mobile', 'tablet', 'unknown')),
    step        text not null check (step in ('viewed', 'provider_chosen', 'redirected', 'returned', 'authorized',
                                              'paid', 'declined', 'abandoned', 'expired', 'payment_started')),
    reason_code text,
    occurred_at timestamptz not null default now()
);

create index checkout_events_time on checkout_events (occurred_at);
create index checkout_events_order on checkout_events (order_id, step);
create index checkout_events_session on checkout_events (session_id) where session_id is not null;
