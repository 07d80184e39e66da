-- The YooKassa dialect's refunds: what YooKassa's refund object carries beyond the common
-- sbx_refunds row (the merchant's description and metadata, echoed back on every read).
create table sbx_yookassa_refunds (
    refund_id   text primary key, -- written just before its sbx_refunds row, in the same transaction
    description text,
    metadata    text
);
