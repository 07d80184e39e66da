-- T-Bank has no refund object and GetState lists no refunds: it answers a status
-- (PARTIAL_REFUNDED, REFUNDED) and the payment's current amount. A refund made in T-Bank's
-- dashboard is only visible as that amount falling by more than the refunds we sent. The
-- adapter keeps what it sent (origin 'sent', one row per Cancel's ExternalRequestId, written
-- before the Cancel goes out) and what it discovered (origin 'discovered', numbered 1, 2, … per
-- payment): a refund is discovered when what T-Bank took back exceeds the sum of both.
CREATE TABLE tbank_refunds (
    payment_id   text NOT NULL,                                 -- T-Bank's PaymentId
    refund_key   text NOT NULL,                                 -- our ExternalRequestId, or the discovery's number
    origin       text NOT NULL CHECK (origin IN ('sent', 'discovered')),
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),      -- kopecks
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (payment_id, refund_key)
);
