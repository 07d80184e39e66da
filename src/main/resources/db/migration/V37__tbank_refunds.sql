-- T-Bank has no refund object and GetState lists no refunds: it answers a status
-- (PARTIAL_REFUNDED, REFUNDED) and the payment's current amount. A refund that none of our refund
-- calls made (one made in T-Bank's dashboard, or a void's Cancel that found the payment just paid)
-- is only visible as that amount falling by more than the refunds we sent. The adapter keeps what
-- its refund calls sent (origin 'sent', one row per Cancel's ExternalRequestId, written before the
-- Cancel goes out, removed if T-Bank refuses it) and what it found (origin 'discovered', numbered
-- 1, 2, ... per payment): a refund is found when what T-Bank took back exceeds the sum of both.
CREATE TABLE tbank_refunds (
    payment_id   text NOT NULL,                                 -- T-Bank's PaymentId
    refund_key   text NOT NULL,                                 -- our ExternalRequestId, or 'discovered-<n>'
    origin       text NOT NULL CHECK (origin IN ('sent', 'discovered')),
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),      -- kopecks
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (payment_id, refund_key)
);
