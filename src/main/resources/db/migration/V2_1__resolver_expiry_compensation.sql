-- The status resolver's schedule, refunds needing review, and compensations for money that
-- arrives for orders that can no longer be completed.

alter table payments add column check_since timestamptz;
alter table payments add column next_check_at timestamptz;
alter table payments add column check_attempts int not null default 0;
create index payments_next_check_idx on payments (next_check_at) where next_check_at is not null;

alter table refunds drop constraint refunds_status_check;
alter table refunds add constraint refunds_status_check
    check (status in ('pending','succeeded','failed','unknown','needs_review'));

create index orders_open_created_idx on orders (created_at) where status = 'open';

create table compensations (
    id          text primary key,
    order_id    text not null references orders(id),
    payment_id  text not null references payments(id),
    status      text not null check (status in ('scheduled','held','done','failed')),
    due_at      timestamptz not null,
    created_at  timestamptz not null,
    done_at     timestamptz,
    note        text
);
-- one open compensation per payment; it settles whatever the payment holds when it runs
create unique index compensations_open_uq on compensations (payment_id) where status in ('scheduled','held');
create index compensations_due_idx on compensations (due_at) where status = 'scheduled';

-- A payment under review or awaiting an answer still makes its order "pending".
create or replace view order_money as
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
                     and p.status in ('requires_action','processing','unknown','needs_review')) as has_pending
) p;
