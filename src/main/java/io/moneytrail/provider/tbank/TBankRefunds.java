package io.moneytrail.provider.tbank;

import io.moneytrail.payment.ProviderPayment;
import io.moneytrail.payment.RefundState;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The refunds of each T-Bank payment as the adapter knows them ({@code tbank_refunds}): the ones
 * its refund calls sent (a {@code Cancel} with {@code Amount}, recorded before it goes out) and
 * the ones it found. T-Bank lists no refunds; it says only how much of a payment is left. What it
 * took back beyond everything recorded here was refunded without a refund call of ours: in
 * T-Bank's dashboard, or by a void's {@code Cancel} that found the payment just paid. It is
 * recorded as a found refund named {@code found-<PaymentId>-<n>}, so that every later answer
 * names it the same way and it is booked once.
 *
 * <p>A refund we sent counts from before it is sent until T-Bank refuses it: a refund in flight
 * can hide a refund made elsewhere for a while, never make one up. Should T-Bank then refuse
 * ours, the core reads the payment again at once (as after any refused refund), and the hidden
 * one is found then.
 */
final class TBankRefunds {

    private static final String DISCOVERED_PREFIX = "discovered-";
    private static final int RECORD_ROUNDS_MAX = 4;

    private final JdbcClient jdbc;

    TBankRefunds(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a refund about to be sent; a repeat (the resolver asking again) changes nothing. */
    void sending(String paymentId, String refundId, long amountMinor, Instant now) {
        jdbc.sql("""
                        insert into tbank_refunds (payment_id, refund_key, origin, amount_minor, created_at)
                        values (:paymentId, :key, 'sent', :amount, :now)
                        on conflict (payment_id, refund_key) do nothing""")
                .param("paymentId", paymentId)
                .param("key", refundId)
                .param("amount", amountMinor)
                .param("now", Timestamp.from(now))
                .update();
    }

    /** T-Bank refused the refund: no money moved, so it no longer counts. */
    void refused(String paymentId, String refundId) {
        jdbc.sql("delete from tbank_refunds where payment_id = :paymentId and refund_key = :key and origin = 'sent'")
                .param("paymentId", paymentId)
                .param("key", refundId)
                .update();
    }

    /**
     * The payment's refunds made outside Moneytrail, given that T-Bank has taken back
     * {@code refundedMinor} in all (null when its answer does not say): first records the part
     * that nothing recorded here explains, if any, as the next discovered refund.
     */
    List<ProviderPayment.Refund> discovered(String paymentId, Long refundedMinor, Instant now) {
        List<Row> rows = rows(paymentId);
        // two answers read at once both number theirs next: the second insert does nothing, and that one reads
        // the rows again and records what is still unexplained under the number after (a few rounds at most)
        for (int round = 0; round < RECORD_ROUNDS_MAX && refundedMinor != null; round++) {
            long accounted = rows.stream().mapToLong(Row::amountMinor).sum();
            if (refundedMinor <= accounted) {
                break;
            }
            long next = rows.stream().filter(Row::discovered).count() + 1;
            jdbc.sql("""
                            insert into tbank_refunds (payment_id, refund_key, origin, amount_minor, created_at)
                            values (:paymentId, :key, 'discovered', :amount, :now)
                            on conflict (payment_id, refund_key) do nothing""")
                    .param("paymentId", paymentId)
                    .param("key", DISCOVERED_PREFIX + next)
                    .param("amount", refundedMinor - accounted)
                    .param("now", Timestamp.from(now))
                    .update();
            rows = rows(paymentId);
        }
        return rows.stream().filter(Row::discovered)
                .map(row -> new ProviderPayment.Refund(foundRefundId(paymentId, row.key()), null, row.amountMinor(),
                        RefundState.SUCCEEDED, row.createdAt()))
                .toList();
    }

    static String foundRefundId(String paymentId, String key) {
        return "found-" + paymentId + "-" + key.substring(DISCOVERED_PREFIX.length());
    }

    private List<Row> rows(String paymentId) {
        return jdbc.sql("""
                        select refund_key, origin, amount_minor, created_at from tbank_refunds
                        where payment_id = :paymentId order by created_at, refund_key""")
                .param("paymentId", paymentId)
                .query((rs, n) -> new Row(rs.getString("refund_key"), "discovered".equals(rs.getString("origin")),
                        rs.getLong("amount_minor"), rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    private record Row(String key, boolean discovered, long amountMinor, Instant createdAt) {
    }
}
