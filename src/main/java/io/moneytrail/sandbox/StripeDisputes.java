package io.moneytrail.sandbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * The Stripe dialect's disputes ({@code sbx_stripe_disputes}). Callers hold the disputed
 * payment's row lock (they run inside the sandbox service's transaction).
 */
@Component
@ConditionalOnSandbox
class StripeDisputes {

    /** A dispute as stored. {@code fundsWithdrawnAt}: when its amount left the balance (null for an inquiry). */
    record Dispute(String id, String paymentId, long amount, String currency, String status, String reason,
                   Instant fundsWithdrawnAt, Instant fundsReinstatedAt, Instant created) {

        static final List<String> INQUIRY = List.of("warning_needs_response", "warning_under_review",
                "warning_closed");
        static final List<String> CHARGEBACK = List.of("needs_response", "under_review", "won", "lost");

        boolean closed() {
            return "won".equals(status) || "lost".equals(status) || "warning_closed".equals(status)
                    || "prevented".equals(status);
        }
    }

    private static final String COLUMNS = "id, payment_id, amount, currency, status, reason, funds_withdrawn_at,"
            + " funds_reinstated_at, created_at";

    private final SandboxStore store;

    StripeDisputes(SandboxStore store) {
        this.store = store;
    }

    void insert(Dispute dispute) {
        store.jdbc().sql("""
                insert into sbx_stripe_disputes (id, payment_id, amount, currency, status, reason, funds_withdrawn_at,
                                                 funds_reinstated_at, created_at, updated_at)
                values (:id, :payment, :amount, :currency, :status, :reason, :withdrawn, null, :created, :created)""")
                .param("id", dispute.id()).param("payment", dispute.paymentId()).param("amount", dispute.amount())
                .param("currency", dispute.currency()).param("status", dispute.status())
                .param("reason", dispute.reason()).param("withdrawn", timestamp(dispute.fundsWithdrawnAt()))
                .param("created", timestamp(dispute.created()))
                .update();
    }

    /** Closes a dispute: won gives the withdrawn amount back (once). */
    void close(String id, String status, Instant now) {
        store.jdbc().sql("""
                update sbx_stripe_disputes
                   set status = :status, updated_at = :now,
                       funds_reinstated_at = case when :status = 'won' and funds_withdrawn_at is not null
                                                  then :now else funds_reinstated_at end
                 where id = :id""")
                .param("id", id).param("status", status).param("now", timestamp(now))
                .update();
    }

    Optional<Dispute> find(String id) {
        return store.jdbc().sql("select " + COLUMNS + " from sbx_stripe_disputes where id = :id")
                .param("id", id).query(DISPUTE).optional();
    }

    List<Dispute> ofPayment(String paymentId) {
        return store.jdbc().sql("select " + COLUMNS + " from sbx_stripe_disputes where payment_id = :payment"
                        + " order by created_at, id")
                .param("payment", paymentId).query(DISPUTE).list();
    }

    /** Disputes whose money moved in [from, to): withdrawals and reinstatements. */
    List<Dispute> movedBetween(Instant from, Instant to, int limit) {
        return store.jdbc().sql("select " + COLUMNS + " from sbx_stripe_disputes"
                        + " where (funds_withdrawn_at >= :from and funds_withdrawn_at < :to)"
                        + "    or (funds_reinstated_at >= :from and funds_reinstated_at < :to)"
                        + " order by created_at, id limit :limit")
                .param("from", timestamp(from)).param("to", timestamp(to)).param("limit", limit)
                .query(DISPUTE).list();
    }

    private static final RowMapper<Dispute> DISPUTE = (rs, n) -> new Dispute(rs.getString("id"),
            rs.getString("payment_id"), rs.getLong("amount"), rs.getString("currency").trim(), rs.getString("status"),
            rs.getString("reason"), instant(rs, "funds_withdrawn_at"), instant(rs, "funds_reinstated_at"),
            instant(rs, "created_at"));

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
