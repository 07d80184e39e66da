package io.moneytrail.provider.tbank;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the adapter sent T-Bank about each payment ({@code tbank_payments}): the Init amount,
 * one- or two-stage, and the amount Confirm took. GetState answers only a status and the
 * payment's current amount; with these the adapter can say what was authorised, captured and
 * released. Written outside the core's transactions (a provider call has none open).
 */
final class TBankPayments {

    /** One payment as the adapter knows it; {@code confirmedMinor} is null until Confirm took money. */
    record Known(String paymentId, String orderId, long amountMinor, boolean twoStage, Long confirmedMinor) {
    }

    private final JdbcClient jdbc;

    TBankPayments(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a payment T-Bank created for our Init; a repeat (an Init de-duplicated by OrderId) changes nothing. */
    void remember(String paymentId, String orderId, long amountMinor, boolean twoStage, Instant now) {
        jdbc.sql("""
                        insert into tbank_payments (payment_id, order_id, amount_minor, two_stage, created_at, updated_at)
                        values (:paymentId, :orderId, :amount, :twoStage, :now, :now)
                        on conflict (payment_id) do nothing""")
                .param("paymentId", paymentId)
                .param("orderId", orderId)
                .param("amount", amountMinor)
                .param("twoStage", twoStage)
                .param("now", java.sql.Timestamp.from(now))
                .update();
    }

    /** Records what Confirm took, once: T-Bank confirms a payment once, so the first amount known stays. */
    void confirmed(String paymentId, long amountMinor, Instant now) {
        jdbc.sql("""
                        update tbank_payments set confirmed_minor = :amount, updated_at = :now
                        where payment_id = :paymentId and confirmed_minor is null and :amount <= amount_minor""")
                .param("paymentId", paymentId)
                .param("amount", amountMinor)
                .param("now", java.sql.Timestamp.from(now))
                .update();
    }

    Optional<Known> find(String paymentId) {
        return jdbc.sql("""
                        select payment_id, order_id, amount_minor, two_stage, confirmed_minor
                        from tbank_payments where payment_id = :paymentId""")
                .param("paymentId", paymentId)
                .query((rs, row) -> new Known(rs.getString("payment_id"), rs.getString("order_id"),
                        rs.getLong("amount_minor"), rs.getBoolean("two_stage"),
                        rs.getObject("confirmed_minor") == null ? null : rs.getLong("confirmed_minor")))
                .optional();
    }
}
