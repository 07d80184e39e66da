-- A customer's dispute moves money too: the provider takes the disputed amount back from what
-- it holds for us (a chargeback) and returns it if the store wins (a chargeback reversal).
-- Both are money facts like captures and refunds: immutable rows, recorded once per dispute
-- (provider_reference is the provider's dispute id), each posted to the ledger. They do not
-- change what was captured or refunded, so the order_money view leaves them out.
alter table payment_transactions drop constraint payment_transactions_kind_check;
alter table payment_transactions add constraint payment_transactions_kind_check
    check (kind in ('authorization', 'capture', 'void', 'refund', 'chargeback', 'chargeback_reversal'));
