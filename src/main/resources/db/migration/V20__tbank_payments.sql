-- T-Bank keeps no amounts history a GetState can give back: its Amount is the payment's current
-- amount (after Confirm and Cancel). The T-Bank adapter remembers what it sent (the Init amount,
-- one- or two-stage) and what Confirm took, so a later GetState maps to the full money facts.
CREATE TABLE tbank_payments (
    payment_id      text PRIMARY KEY,                                  -- T-Bank's PaymentId (digits)
    order_id        text NOT NULL,                                     -- the OrderId we sent: our payment id
    amount_minor    bigint NOT NULL CHECK (amount_minor > 0),          -- the Init Amount, kopecks
    two_stage       boolean NOT NULL,                                  -- PayType T (true) or O (false)
    confirmed_minor bigint CHECK (confirmed_minor > 0 AND confirmed_minor <= amount_minor),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX tbank_payments_order_id ON tbank_payments (order_id);
