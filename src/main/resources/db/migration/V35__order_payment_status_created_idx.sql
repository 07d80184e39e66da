-- A reconciliation run reads its period's money facts in one statement from the payment module's
-- read model by the orders' creation time (PaymentFacts.createdBetween, issue 14 "Speed"): its
-- range comes from this index when the period is a small part of the table.
create index order_payment_status_created_idx on order_payment_status (order_created_at);
