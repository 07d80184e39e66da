package io.moneytrail.payment;

import io.moneytrail.money.Ids;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Money that arrived for an order that can no longer be completed (cancelled or expired):
 * one open compensation per payment, which refunds or voids whatever the payment holds when
 * it runs ({@code scheduled}), or waits for an operator ({@code held}).
 */
@Repository
class Compensations {

    private final JdbcClient jdbc;

    Compensations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Opens a compensation unless one is open for the payment; true when this call opened it. */
    boolean open(String orderId, String paymentId, boolean hold, Instant dueAt, Instant now, String note) {
        return jdbc.sql("""
                        insert into compensations (id, order_id, payment_id, status, due_at, created_at, note)
                        values (:id, :order, :payment, :status, :due, :now, :note)
                        on conflict (payment_id) where status in ('scheduled','held') do nothing
                        """)
                .param("id", Ids.next("cmp_")).param("order", orderId).param("payment", paymentId)
                .param("status", hold ? "held" : "scheduled").param("due", Timestamp.from(dueAt))
                .param("now", Timestamp.from(now)).param("note", note)
                .update() == 1;
    }

    List<String> claimDue(Instant now, Duration lease, int limit) {
        // a read first: an idle sweep (the common case) is a read, not a write transaction
        if (!jdbc.sql("select exists (select 1 from compensations where status = 'scheduled' and due_at <= :now)")
                .param("now", Timestamp.from(now)).query(Boolean.class).single()) {
            return List.of();
        }
        return jdbc.sql("""
                        update compensations set due_at = :leaseUntil
                        where id in (select id from compensations where status = 'scheduled' and due_at <= :now
                                     order by due_at limit :limit for update skip locked)
                        returning id
                        """)
                .param("now", Timestamp.from(now)).param("leaseUntil", Timestamp.from(now.plus(lease)))
                .param("limit", limit).query(String.class).list();
    }

    Optional<Compensation> find(String id) {
        return jdbc.sql("select id, order_id, payment_id, status, due_at, created_at, done_at, note from compensations"
                        + " where id = :id")
                .param("id", id).query(Compensations::map).optional();
    }

    void finish(String id, String status, String note, Instant now) {
        jdbc.sql("update compensations set status = :status, note = :note, done_at = :now where id = :id")
                .param("status", status).param("note", note).param("now", Timestamp.from(now)).param("id", id).update();
    }

    void retryAt(String id, Instant at, String note) {
        jdbc.sql("update compensations set due_at = :at, note = :note where id = :id")
                .param("at", Timestamp.from(at)).param("note", note).param("id", id).update();
    }

    public List<Compensation> ofOrder(String orderId) {
        return jdbc.sql("select id, order_id, payment_id, status, due_at, created_at, done_at, note from compensations"
                        + " where order_id = :order order by id")
                .param("order", orderId).query(Compensations::map).list();
    }

    public List<Compensation> held(int limit) {
        return jdbc.sql("select id, order_id, payment_id, status, due_at, created_at, done_at, note from compensations"
                        + " where status in ('held','failed') order by id limit :limit")
                .param("limit", limit).query(Compensations::map).list();
    }

    private static Compensation map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Compensation(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(),
                rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant(), rs.getString(8));
    }
}
