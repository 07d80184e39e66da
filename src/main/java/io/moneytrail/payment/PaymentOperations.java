package io.moneytrail.payment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Captures and voids as committed intents (migration V14), with explicit SQL. */
@Repository
class PaymentOperations {

    private final JdbcClient jdbc;

    PaymentOperations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the intent; false when the payment already has an unfinished one. */
    boolean insert(PaymentOperation operation) {
        return jdbc.sql("""
                        insert into payment_operations (id, payment_id, kind, amount_minor, idempotency_key, status,
                                                        created_at)
                        values (:id, :payment, :kind, :amount, :key, :status, :created)
                        on conflict (payment_id) where status in ('open', 'unknown') do nothing
                        """)
                .param("id", operation.id()).param("payment", operation.paymentId())
                .param("kind", operation.kind().wire()).param("amount", operation.amountMinor())
                .param("key", operation.idempotencyKey()).param("status", operation.status().wire())
                .param("created", Timestamp.from(operation.created()))
                .update() == 1;
    }

    /** The payment's operation that is open or unknown, if any. */
    Optional<PaymentOperation> unfinished(String paymentId) {
        return jdbc.sql("""
                        select id, payment_id, kind, amount_minor, idempotency_key, status, created_at
                        from payment_operations where payment_id = :payment and status in ('open', 'unknown')
                        """)
                .param("payment", paymentId).query(PaymentOperations::map).optional();
    }

    /** Moves an unfinished operation to {@code status} (unknown or done), noting the provider's answer. */
    void update(String id, PaymentOperation.Status status, String result, Instant now) {
        jdbc.sql("""
                        update payment_operations set status = :status, result = :result,
                               finished_at = case when :status = 'done' then cast(:now as timestamptz) end
                        where id = :id and status <> 'done'
                        """)
                .param("status", status.wire()).param("result", result).param("now", Timestamp.from(now))
                .param("id", id).update();
    }

    private static PaymentOperation map(ResultSet rs, int row) throws SQLException {
        return new PaymentOperation(rs.getString("id"), rs.getString("payment_id"),
                PaymentOperation.Kind.valueOf(rs.getString("kind").toUpperCase()), rs.getLong("amount_minor"),
                rs.getString("idempotency_key"), PaymentOperation.Status.valueOf(rs.getString("status").toUpperCase()),
                rs.getTimestamp("created_at").toInstant());
    }
}
