-- Issue 14, receipt reconciliation (atol): it pages through a period's captures and refunds, and through
-- its fulfilments, in time order. Without these indexes every page would scan the whole table.
create index payment_transactions_occurred_idx on payment_transactions (occurred_at, id);
create index timeline_fulfilled_idx on timeline (occurred_at, order_id)
    where kind = 'order.status_changed' and data ->> 'to' = 'fulfilled';
