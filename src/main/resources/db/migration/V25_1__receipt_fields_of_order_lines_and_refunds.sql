-- Fiscal receipts (V25) need two facts their owners keep: order lines (module order) and refunds (module payment).
-- Per order line: what the receipt calls it (54-FZ tag 1212, ATOL v5 payment_object: 1 goods, 4 service) and
-- its unit of measure (tag 2108, ATOL v5 measure: 0 piece). Defaults keep existing orders goods sold by the piece.
alter table order_lines add column payment_object text not null default 'goods'
    check (payment_object in ('goods', 'service'));
alter table order_lines add column measure int not null default 0 check (measure between 0 and 255);

-- A refund may name the lines and quantities it returns ([{sku, quantity}]); null: the whole amount, allocated.
alter table refunds add column lines jsonb;
