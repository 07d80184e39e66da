package io.moneytrail.payment;

import io.moneytrail.money.Check;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The SQL behind {@link PaymentLookups}. */
@Component
class PaymentLookupsJdbc implements PaymentLookups {

    private final JdbcClient jdbc;
    private final Payments payments;
    private final Refunds refunds;

    PaymentLookupsJdbc(JdbcClient jdbc, Payments payments, Refunds refunds) {
        this.jdbc = jdbc;
        this.payments = payments;
        this.refunds = refunds;
    }

    @Override
    public List<Refund> refundsOfOrder(String orderId) {
        List<Refund> all = new ArrayList<>();
        for (Payment payment : payments.ofOrder(orderId)) {
            all.addAll(refunds.ofPayment(payment.id()));
        }
        all.sort(java.util.Comparator.comparing(Refund::created).thenComparing(Refund::id));
        return all;
    }

    @Override
    public List<String> orderIdsByProviderPaymentId(String providerPaymentId) {
        return jdbc.sql("select distinct order_id from payments where provider_payment_id = :id limit :limit")
                .param("id", providerPaymentId).param("limit", ORDER_IDS_MAX).query(String.class).list();
    }

    @Override
    public java.util.Set<String> ordersWithProvider(String provider, java.util.Collection<String> orderIds) {
        Check.that(orderIds.size() <= PROVIDER_IDS_MAX, "ids within bounds");
        if (orderIds.isEmpty()) {
            return java.util.Set.of();
        }
        // payments_provider_order_idx (V29): one index probe per candidate
        return new java.util.HashSet<>(jdbc.sql("""
                        select distinct order_id from payments where provider = :provider and order_id in (:ids)""")
                .param("provider", provider).param("ids", List.copyOf(orderIds)).query(String.class).list());
    }

    @Override
    public Figures figures(Instant from, Instant to, Instant unknownBefore) {
        return jdbc.sql("""
                        select
                          (select count(distinct order_id) from payment_transactions
                            where kind = 'capture' and occurred_at >= :from and occurred_at < :to) as captured,
                          (select count(*) from refunds where created_at >= :from and created_at < :to) as refunds,
                          (select count(*) from payments where status = 'unknown' and updated_at < :before) as unknown""")
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .param("before", Timestamp.from(unknownBefore))
                .query((rs, n) -> new Figures(rs.getLong("captured"), rs.getLong("refunds"), rs.getLong("unknown")))
                .single();
    }
}
