-- The 1C exchange (module onec, CommerceML 2.10 over 1C's "обмен с сайтом" protocol).
--
-- onec_orders: one row per order that changed. `version` is bumped in the transaction of every
-- change to the order (created, lifecycle moved, payment status moved, money moved, a payment
-- attempt moved); an export never touches it. A query sends the orders whose version is above
-- what 1C acknowledged and remembers, per order, the version it sent; `success` acknowledges
-- exactly those. A query that is not followed by `success` is sent again, with whatever changed
-- since. Per-order versions (not one global sequence) cannot skip a change whose transaction
-- committed after a later one.
create table onec_orders (
    order_id             text primary key,
    version              bigint not null check (version > 0),
    sent_version         bigint check (sent_version > 0 and sent_version <= version),
    acknowledged_version bigint not null default 0 check (acknowledged_version >= 0 and acknowledged_version <= version),
    changed_at           timestamptz not null
);

create index onec_orders_pending on onec_orders (changed_at, order_id) where version > acknowledged_version;
create index onec_orders_sent on onec_orders (order_id) where sent_version is not null;

-- The exchange's own state: one row, locked by each query, success and file so that two 1C
-- sessions at once take turns.
create table onec_exchange (
    id                  int primary key check (id = 1),
    last_query_at       timestamptz,
    last_query_orders   int not null default 0,
    last_success_at     timestamptz,
    last_file_at        timestamptz
);

insert into onec_exchange (id) values (1);
