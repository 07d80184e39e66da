-- Read models that go over many orders page by page (reconciliation runs): orders in a period
-- by (created_at, id) keyset, and the few refunds and compensations still in flight by order.
create index orders_created_idx on orders (created_at, id);
create index refunds_in_flight_order_idx on refunds (order_id) where status in ('pending','unknown','needs_review');
create index compensations_open_order_idx on compensations (order_id) where status in ('scheduled','held');
