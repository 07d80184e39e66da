-- T-Bank's PaymentId is a number: the T-Bank dialect's payments take their ids from this sequence.
create sequence sbx_tbank_payment_ids start with 4100000001;
