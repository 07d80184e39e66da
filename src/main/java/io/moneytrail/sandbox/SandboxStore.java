package io.moneytrail.sandbox;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.moneytrail.database.DatabaseEndpoint;
import io.moneytrail.database.RuntimeGrants;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sandbox's storage: its own schema and its own small connection pool on the same
 * PostgreSQL server, so that it behaves like the separate system it imitates (its load and
 * its locks never touch the core's pool). The pool is deliberately not a {@code DataSource}
 * bean, so nothing else in the application can pick it up by accident.
 */
@Component
@ConditionalOnSandbox
class SandboxStore implements DisposableBean {

    static final String SCHEMA = "sandbox";
    private static final int POOL_SIZE = 8;
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);

    private static final String PAYMENT_COLUMNS = "id, merchant_reference, amount, currency, capture_method, status,"
            + " cancellation_reason, amount_authorized, amount_captured, amount_released, amount_refunded,"
            + " three_d_secure, return_url, faults::text as faults, created_at, dialect, dialect_data";
    private static final String EVENT_COLUMNS = "id, type, payment_id, payload, created_at, delivered_at, attempts,"
            + " last_status, dropped, dialect";

    private final HikariDataSource dataSource;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    SandboxStore(DatabaseEndpoint endpoint) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("sandbox");
        config.setJdbcUrl(endpoint.jdbcUrl());
        config.setUsername(endpoint.username());
        config.setPassword(endpoint.password());
        config.setSchema(SCHEMA); // search_path, so the SQL below needs no schema prefix
        config.setMaximumPoolSize(POOL_SIZE);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        this.dataSource = new HikariDataSource(config);
        try {
            // migrated as the owner; the pool runs as the service's runtime role, which gets row access only
            DatabaseEndpoint owner = endpoint.owner();
            Flyway.configure().dataSource(owner.jdbcUrl(), owner.username(), owner.password())
                    .schemas(SCHEMA).defaultSchema(SCHEMA).createSchemas(true)
                    .locations("classpath:db/sandbox").callbacks(RuntimeGrants.afterMigrate(endpoint, SCHEMA, "sandbox-runtime-grants")).load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new JdbcTransactionManager(dataSource));
    }

    @Override
    public void destroy() {
        dataSource.close();
    }

    /** For a dialect's own small store: the same pool, schema and transactions. */
    JdbcClient jdbc() {
        return jdbc;
    }

    /** Runs {@code work} in one transaction; any exception rolls it back. */
    <T> T inTransaction(Supplier<T> work) {
        return tx.execute(status -> work.get());
    }

    // ---------------------------------------------------------------- payments

    void insertPayment(SandboxPayment p) {
        jdbc.sql("""
                insert into sbx_payments (id, merchant_reference, amount, currency, capture_method, status,
                                          return_url, created_at, updated_at, dialect, dialect_data)
                values (:id, :merchantReference, :amount, :currency, :captureMethod, :status,
                        :returnUrl, :created, :created, :dialect, :dialectData)""")
                .param("id", p.id())
                .param("merchantReference", p.merchantReference())
                .param("amount", p.amount())
                .param("currency", p.currency())
                .param("captureMethod", p.captureMethod())
                .param("status", p.status())
                .param("returnUrl", p.returnUrl())
                .param("created", timestamp(p.created()))
                .param("dialect", p.dialect())
                .param("dialectData", p.dialectData())
                .update();
    }

    Optional<SandboxPayment> findPayment(String id) {
        return jdbc.sql("select " + PAYMENT_COLUMNS + " from sbx_payments where id = :id")
                .param("id", id).query(PAYMENT).optional();
    }

    /** Reads the payment and takes its row lock until the transaction ends. */
    Optional<SandboxPayment> lockPayment(String id) {
        return jdbc.sql("select " + PAYMENT_COLUMNS + " from sbx_payments where id = :id for update")
                .param("id", id).query(PAYMENT).optional();
    }

    List<SandboxPayment> paymentsByMerchantReference(String merchantReference, int limit) {
        return jdbc.sql("select " + PAYMENT_COLUMNS + " from sbx_payments where merchant_reference = :ref"
                        + " order by created_at, id limit :limit")
                .param("ref", merchantReference).param("limit", limit).query(PAYMENT).list();
    }

    List<SandboxPayment> payments(String startingAfter, int limit) {
        return jdbc.sql("select " + PAYMENT_COLUMNS + " from sbx_payments where id > :after order by id limit :limit")
                .param("after", startingAfter == null ? "" : startingAfter).param("limit", limit).query(PAYMENT).list();
    }

    /** Writes a payment's state; the caller holds its row lock. */
    void savePayment(SandboxPayment p, Instant now) {
        jdbc.sql("""
                update sbx_payments
                   set status = :status, cancellation_reason = :reason, amount_authorized = :authorized,
                       amount_captured = :captured, amount_released = :released, amount_refunded = :refunded,
                       three_d_secure = :threeDSecure, dialect_data = :dialectData, updated_at = :now
                 where id = :id""")
                .param("status", p.status())
                .param("reason", p.cancellationReason())
                .param("authorized", p.amountAuthorized())
                .param("captured", p.amountCaptured())
                .param("released", p.amountReleased())
                .param("refunded", p.amountRefunded())
                .param("threeDSecure", p.threeDSecure())
                .param("dialectData", p.dialectData())
                .param("now", timestamp(now))
                .param("id", p.id())
                .update();
    }

    /** Sets (or with null clears) a payment's own fault profile; false if there is no such payment. */
    boolean updateFaults(String paymentId, String faultsJson, Instant now) {
        return jdbc.sql("update sbx_payments set faults = cast(:faults as jsonb), updated_at = :now where id = :id")
                .param("faults", faultsJson).param("now", timestamp(now)).param("id", paymentId)
                .update() == 1;
    }

    // ---------------------------------------------------------------- captures and refunds

    void insertCapture(SandboxPayment.Capture c) {
        jdbc.sql("insert into sbx_captures (id, payment_id, amount, created_at) values (:id, :payment, :amount, :at)")
                .param("id", c.id()).param("payment", c.paymentId()).param("amount", c.amount())
                .param("at", timestamp(c.created()))
                .update();
    }

    List<SandboxPayment.Capture> capturesOf(String paymentId) {
        return jdbc.sql("select id, payment_id, amount, created_at from sbx_captures where payment_id = :payment"
                        + " order by created_at, id")
                .param("payment", paymentId)
                .query((rs, n) -> new SandboxPayment.Capture(rs.getString("id"), rs.getString("payment_id"),
                        rs.getLong("amount"), instant(rs, "created_at")))
                .list();
    }

    void insertRefund(SandboxPayment.Refund r) {
        jdbc.sql("""
                insert into sbx_refunds (id, payment_id, merchant_reference, amount, status, created_at)
                values (:id, :payment, :ref, :amount, :status, :at)""")
                .param("id", r.id()).param("payment", r.paymentId()).param("ref", r.merchantReference())
                .param("amount", r.amount()).param("status", r.status()).param("at", timestamp(r.created()))
                .update();
    }

    List<SandboxPayment.Refund> refundsOf(String paymentId) {
        return jdbc.sql("select id, payment_id, merchant_reference, amount, status, created_at from sbx_refunds"
                        + " where payment_id = :payment order by created_at, id")
                .param("payment", paymentId).query(REFUND).list();
    }

    Optional<SandboxPayment.Refund> findRefund(String id) {
        return jdbc.sql("select id, payment_id, merchant_reference, amount, status, created_at from sbx_refunds"
                        + " where id = :id")
                .param("id", id).query(REFUND).optional();
    }

    /** A movement of the sandbox balance for its report: a capture (positive) or a succeeded refund (negative). */
    record Movement(String id, String type, String paymentId, String merchantReference, long amount, String currency,
                    Instant created) {
    }

    /** One dialect's captures and succeeded refunds created in [from, to), oldest first, at most {@code limit}. */
    List<Movement> movements(String dialect, Instant from, Instant to, int limit) {
        return jdbc.sql("""
                select * from (
                  select c.id, 'charge' as type, c.payment_id, p.merchant_reference, c.amount, p.currency, c.created_at
                    from sbx_captures c join sbx_payments p on p.id = c.payment_id
                   where c.created_at >= :from and c.created_at < :to and p.dialect = :dialect
                  union all
                  select r.id, 'refund' as type, r.payment_id, p.merchant_reference, -r.amount, p.currency, r.created_at
                    from sbx_refunds r join sbx_payments p on p.id = r.payment_id
                   where r.status = :succeeded and r.created_at >= :from and r.created_at < :to
                     and p.dialect = :dialect
                ) m order by created_at, id limit :limit""")
                .param("from", timestamp(from)).param("to", timestamp(to)).param("dialect", dialect)
                .param("succeeded", SandboxPayment.Refund.SUCCEEDED).param("limit", limit)
                .query((rs, n) -> new Movement(rs.getString("id"), rs.getString("type"), rs.getString("payment_id"),
                        rs.getString("merchant_reference"), rs.getLong("amount"), rs.getString("currency").trim(),
                        instant(rs, "created_at")))
                .list();
    }

    // ---------------------------------------------------------------- events

    void insertEvent(String id, String type, String paymentId, String payload, Instant created, String dialect) {
        jdbc.sql("""
                insert into sbx_events (id, type, payment_id, payload, created_at, dialect)
                values (:id, :type, :payment, :payload, :created, :dialect)""")
                .param("id", id).param("type", type).param("payment", paymentId).param("payload", payload)
                .param("created", timestamp(created)).param("dialect", dialect)
                .update();
    }

    List<SandboxPayment.Event> eventsOf(String paymentId, int limit) {
        return jdbc.sql("select " + EVENT_COLUMNS + " from sbx_events where payment_id = :payment"
                        + " order by created_at, id limit :limit")
                .param("payment", paymentId).param("limit", limit).query(EVENT).list();
    }

    /** The latest {@code limit} events of all payments, oldest first. */
    List<SandboxPayment.Event> latestEvents(int limit) {
        return jdbc.sql("select * from (select " + EVENT_COLUMNS + " from sbx_events"
                        + " order by created_at desc, id desc limit :limit) latest order by created_at, id")
                .param("limit", limit).query(EVENT).list();
    }

    /** Events still owed to the receiver: not delivered, not dropped, attempts left. */
    List<SandboxPayment.Event> undeliveredEvents(Instant createdBefore, int maxAttempts, int limit) {
        return jdbc.sql("select " + EVENT_COLUMNS + " from sbx_events"
                        + " where delivered_at is null and not dropped and attempts < :max and created_at < :before"
                        + " order by created_at, id limit :limit")
                .param("max", maxAttempts).param("before", timestamp(createdBefore)).param("limit", limit)
                .query(EVENT).list();
    }

    /**
     * Records one delivery attempt. {@code httpStatus} is null when no answer came; the first
     * successful attempt sets {@code delivered_at}, later ones (duplicates) keep it.
     */
    void recordAttempt(String eventId, Integer httpStatus, boolean delivered, Instant now) {
        jdbc.sql("""
                update sbx_events
                   set attempts = attempts + 1, last_status = :status,
                       delivered_at = case when :delivered then coalesce(delivered_at, :now) else delivered_at end
                 where id = :id""")
                .param("status", httpStatus).param("delivered", delivered).param("now", timestamp(now))
                .param("id", eventId)
                .update();
    }

    void markDropped(String eventId) {
        jdbc.sql("update sbx_events set dropped = true where id = :id").param("id", eventId).update();
    }

    // ---------------------------------------------------------------- idempotency

    /**
     * Serialises requests that carry the same key until the transaction ends. An advisory
     * lock, because the key's row does not exist yet when the first request arrives.
     */
    void lockIdempotencyKey(String key) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))").param("key", key)
                .query((rs, n) -> Boolean.TRUE).single();
    }

    Optional<StoredReply> findReply(String key) {
        return jdbc.sql("select request_hash, response_status, response_body from sbx_idempotency where key = :key")
                .param("key", key)
                .query((rs, n) -> new StoredReply(rs.getString("request_hash"), rs.getInt("response_status"),
                        rs.getString("response_body")))
                .optional();
    }

    void insertReply(String key, StoredReply reply, Instant now) {
        jdbc.sql("""
                insert into sbx_idempotency (key, request_hash, response_body, response_status, created_at)
                values (:key, :hash, :body, :status, :now)""")
                .param("key", key).param("hash", reply.requestHash()).param("body", reply.body())
                .param("status", reply.status()).param("now", timestamp(now))
                .update();
    }

    int deleteRepliesBefore(Instant before) {
        return jdbc.sql("delete from sbx_idempotency where created_at < :before")
                .param("before", timestamp(before)).update();
    }

    /** A stored answer to an idempotent request, and the fingerprint of the request it answered. */
    record StoredReply(String requestHash, int status, String body) {
    }

    // ---------------------------------------------------------------- mapping

    private static final RowMapper<SandboxPayment> PAYMENT = (rs, n) -> new SandboxPayment(
            rs.getString("id"), rs.getString("merchant_reference"), rs.getLong("amount"), rs.getString("currency"),
            rs.getString("capture_method"), rs.getString("status"), rs.getString("cancellation_reason"),
            rs.getLong("amount_authorized"), rs.getLong("amount_captured"), rs.getLong("amount_released"),
            rs.getLong("amount_refunded"), rs.getString("three_d_secure"), rs.getString("return_url"),
            rs.getString("faults"), instant(rs, "created_at"), rs.getString("dialect"), rs.getString("dialect_data"));

    private static final RowMapper<SandboxPayment.Refund> REFUND = (rs, n) -> new SandboxPayment.Refund(
            rs.getString("id"), rs.getString("payment_id"), rs.getString("merchant_reference"), rs.getLong("amount"),
            rs.getString("status"), instant(rs, "created_at"));

    private static final RowMapper<SandboxPayment.Event> EVENT = (rs, n) -> new SandboxPayment.Event(
            rs.getString("id"), rs.getString("type"), rs.getString("payment_id"), rs.getString("payload"),
            instant(rs, "created_at"), instant(rs, "delivered_at"), rs.getInt("attempts"),
            (Integer) rs.getObject("last_status"), rs.getBoolean("dropped"), rs.getString("dialect"));

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
