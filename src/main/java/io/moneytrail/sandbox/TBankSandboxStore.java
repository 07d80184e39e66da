package io.moneytrail.sandbox;

import org.springframework.stereotype.Component;

/** The T-Bank dialect's own storage: T-Bank's PaymentId is a number, drawn from {@code sbx_tbank_payment_ids}. */
@Component
@ConditionalOnSandbox
class TBankSandboxStore {

    private final SandboxStore store;

    TBankSandboxStore(SandboxStore store) {
        this.store = store;
    }

    /** The next PaymentId (digits, as T-Bank's). */
    String nextPaymentId() {
        return String.valueOf(store.jdbc().sql("select nextval('sbx_tbank_payment_ids')").query(Long.class).single());
    }
}
