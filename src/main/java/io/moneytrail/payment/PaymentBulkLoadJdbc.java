package io.moneytrail.payment;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The SQL behind {@link PaymentBulkLoad}. */
@Component
class PaymentBulkLoadJdbc implements PaymentBulkLoad {

    private final JdbcClient jdbc;
    private final OrderPaymentStatusesJdbc statuses;
    private final java.time.Clock clock;

    PaymentBulkLoadJdbc(JdbcClient jdbc, OrderPaymentStatusesJdbc statuses, java.time.Clock clock) {
        this.jdbc = jdbc;
        this.statuses = statuses;
        this.clock = clock;
    }

    /** Inserts the payments and their transactions; how many payments and how many transactions. */
    @Override
    public Loaded insert(List<BulkPayment> payments) {
        if (payments.size() > PAYMENTS_MAX) {
            throw new IllegalArgumentException("at most " + PAYMENTS_MAX + " payments per call, not " + payments.size());
        }
        if (payments.isEmpty()) {
            return new Loaded(0, 0);
        }
        int inserted = jdbc.sql("""
                        insert into payments (id, order_id, provider, provider_payment_id, capture_method, status,
                                              amount, currency, created_at, updated_at)
                        select id, order_id, provider, provider_payment_id, 'automatic', status, amount, currency,
                               at, at
                        from unnest(cast(:ids as text[]), cast(:orders as text[]), cast(:providers as text[]),
                                    cast(:references as text[]), cast(:states as text[]), cast(:amounts as bigint[]),
                                    cast(:currencies as text[]), cast(:ats as timestamptz[]))
                             as t(id, order_id, provider, provider_payment_id, status, amount, currency, at)
                        """)
                .param("ids", payments.stream().map(BulkPayment::id).toArray(String[]::new))
                .param("orders", payments.stream().map(BulkPayment::orderId).toArray(String[]::new))
                .param("providers", payments.stream().map(BulkPayment::provider).toArray(String[]::new))
                .param("references", payments.stream().map(BulkPayment::providerPaymentId).toArray(String[]::new))
                .param("states", payments.stream().map(p -> p.state().wire()).toArray(String[]::new))
                .param("amounts", payments.stream().map(p -> Long.toString(p.amount().amountMinor()))
                        .toArray(String[]::new))
                .param("currencies", payments.stream().map(p -> p.amount().currencyCode()).toArray(String[]::new))
                .param("ats", payments.stream().map(p -> p.createdAt().toString()).toArray(String[]::new))
                .update();
        List<BulkPayment> captured = payments.stream().filter(p -> p.captured() > 0).toList();
        List<BulkPayment> refunded = payments.stream().filter(p -> p.refunded() > 0).toList();
        int transactions = transactions(captured, MoneyTransaction.Kind.CAPTURE)
                + transactions(refunded, MoneyTransaction.Kind.REFUND);
        // the read model of the orders' payment status, as the view derives it from what was just loaded
        statuses.refresh(payments.stream().map(BulkPayment::orderId).distinct().toList(), clock.instant());
        return new Loaded(inserted, transactions);
    }


    private int transactions(List<BulkPayment> payments, MoneyTransaction.Kind kind) {
        if (payments.isEmpty()) {
            return 0;
        }
        boolean capture = kind == MoneyTransaction.Kind.CAPTURE;
        return jdbc.sql("""
                        insert into payment_transactions (id, payment_id, order_id, kind, amount_minor, currency,
                                                          provider_reference, occurred_at)
                        select id, payment_id, order_id, :kind, amount, currency, reference, at
                        from unnest(cast(:ids as text[]), cast(:payments as text[]), cast(:orders as text[]),
                                    cast(:amounts as bigint[]), cast(:currencies as text[]),
                                    cast(:references as text[]), cast(:ats as timestamptz[]))
                             as t(id, payment_id, order_id, amount, currency, reference, at)
                        """)
                .param("kind", kind.wire())
                .param("ids", payments.stream().map(p -> capture ? p.captureId() : p.refundId())
                        .toArray(String[]::new))
                .param("payments", payments.stream().map(BulkPayment::id).toArray(String[]::new))
                .param("orders", payments.stream().map(BulkPayment::orderId).toArray(String[]::new))
                .param("amounts", payments.stream().map(p -> Long.toString(capture ? p.captured() : p.refunded()))
                        .toArray(String[]::new))
                .param("currencies", payments.stream().map(p -> p.amount().currencyCode()).toArray(String[]::new))
                .param("references", payments.stream()
                        .map(p -> capture ? p.providerPaymentId() : p.refundReference())
                        .toArray(String[]::new))
                .param("ats", payments.stream().map(p -> (capture ? p.capturedAt() : p.refundedAt()).toString())
                        .toArray(String[]::new))
                .update();
    }
}
