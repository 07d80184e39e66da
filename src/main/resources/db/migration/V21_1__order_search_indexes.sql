-- The back office's order search (issue 12): an order is found by its id, its reference (already
-- indexed), its customer's e-mail (any case) or phone, or a provider's payment id (unique already).
create index orders_customer_email_idx on orders (lower(customer_email));
create index orders_customer_phone_idx on orders (customer_phone);
