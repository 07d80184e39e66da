-- The back office's orders page at 1,000,000 orders (issue 12; measured with `bench backoffice`,
-- figures in docs/backoffice.md, "Speed").
-- The provider filter: a provider's orders newest first, a page of order ids at a time after a
-- cursor (PaymentLookups.orderIdsWithProvider), read from the index alone.
create index payments_provider_order_idx on payments (provider, order_id);
-- The list is newest first by (created_at, id) (orders_created_idx, V15); with a status filter too:
create index orders_status_created_idx on orders (status, created_at, id);
