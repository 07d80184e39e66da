-- The payment module's read model of each order's payment status, for lists that filter by it
-- (the back office's orders page at 1,000,000 orders, issue 12; docs/backoffice.md, "Speed").
-- The status is still derived by the view order_money (V1, V2_1) from the money facts; this table
-- keeps a copy, written by the payment module in the same transaction as the money facts and
-- payment states that move it (OrderPaymentWatch, just before commit), one row per order that
-- has had a payment attempt. An order with no row never had one: it is unpaid.
-- order_created_at is the order's creation time, copied once (it never changes), so that a page
-- of one payment status is read newest first in the order list's own (created_at, id) order
-- from one index.
create table order_payment_status (
    order_id         text primary key,
    order_created_at timestamptz not null,
    payment_status   text not null check (payment_status in ('unpaid','pending','authorized','partially_paid',
                                                             'paid','overpaid','partially_refunded','refunded')),
    updated_at       timestamptz not null
);

-- the backfill: every order with a payment attempt, its status as the view derives it now
insert into order_payment_status (order_id, order_created_at, payment_status, updated_at)
select m.order_id, o.created_at, m.payment_status, now()
from orders o
join order_money m on m.order_id = o.id
where exists (select 1 from payments p where p.order_id = o.id);

create index order_payment_status_list_idx on order_payment_status (payment_status, order_created_at, order_id);
