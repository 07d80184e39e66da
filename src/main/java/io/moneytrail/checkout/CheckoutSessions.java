package io.moneytrail.checkout;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code checkout_sessions}: explicit SQL, the checkout module's own table. */
@Repository
class CheckoutSessions {

    private final JdbcClient jdbc;

    CheckoutSessions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String id, String token, String url, String orderId, String returnUrl, String cancelUrl, String locale,
                List<String> providers, String creationKey, Instant now, Instant expiresAt) {
        jdbc.sql("""
                        insert into checkout_sessions (id, token, url, order_id, status, return_url, cancel_url, locale, providers,
                                                       creation_key, created_at, expires_at)
                        values (:id, :token, :url, :order, 'open', :returnUrl, :cancelUrl, :locale, :providers::text[],
                                :creationKey, :now, :expiresAt)
                        """)
                .param("id", id).param("token", token).param("url", url).param("order", orderId).param("returnUrl", returnUrl)
                .param("cancelUrl", cancelUrl).param("locale", locale)
                .param("providers", providers == null ? null : "{" + String.join(",", providers) + "}")
                .param("creationKey", creationKey).param("now", Timestamp.from(now))
                .param("expiresAt", Timestamp.from(expiresAt))
                .update();
    }

    Optional<CheckoutSession> find(String id) {
        return jdbc.sql("select * from checkout_sessions where id = :id").param("id", id)
                .query((rs, n) -> row(rs)).optional();
    }

    Optional<CheckoutSession> findByToken(String token) {
        return jdbc.sql("select * from checkout_sessions where token = :token").param("token", token)
                .query((rs, n) -> row(rs)).optional();
    }

    /** The session locked for a change (the page's choices and the sweeps serialise on it). */
    Optional<CheckoutSession> lock(String id) {
        return jdbc.sql("select * from checkout_sessions where id = :id for update").param("id", id)
                .query((rs, n) -> row(rs)).optional();
    }

    Optional<String> idByCreationKey(String creationKey) {
        return jdbc.sql("select id from checkout_sessions where creation_key = :key").param("key", creationKey)
                .query(String.class).optional();
    }

    boolean orderHasSession(String orderId) {
        return jdbc.sql("select exists (select 1 from checkout_sessions where order_id = :order)")
                .param("order", orderId).query(Boolean.class).single();
    }

    /** First view: the device is the first viewer's. Answers whether this was the first. */
    boolean markViewed(String id, DeviceClass device, Instant now) {
        return jdbc.sql("""
                        update checkout_sessions set viewed_at = :now, device = :device, last_step_at = :now
                        where id = :id and viewed_at is null
                        """)
                .param("id", id).param("device", device.wire()).param("now", Timestamp.from(now)).update() == 1;
    }

    void touch(String id, Instant now) {
        jdbc.sql("update checkout_sessions set last_step_at = greatest(coalesce(last_step_at, :now), :now) where id = :id")
                .param("id", id).param("now", Timestamp.from(now)).update();
    }

    void startAttempt(String id, String paymentId, String provider) {
        jdbc.sql("""
                        update checkout_sessions set current_payment_id = :payment, current_provider = :provider
                        where id = :id
                        """)
                .param("id", id).param("payment", paymentId).param("provider", provider).update();
    }

    /** The customer came back from the attempt; answers whether this is the first time for it. */
    boolean markReturned(String id, String paymentId, Instant now) {
        return jdbc.sql("""
                        update checkout_sessions set returned_payment_id = :payment, returned_at = :now
                        where id = :id and returned_payment_id is distinct from :payment
                        """)
                .param("id", id).param("payment", paymentId).param("now", Timestamp.from(now)).update() == 1;
    }

    /** Closes an open session (complete or expired); answers whether it was open. */
    boolean close(String id, CheckoutSession.Status status, Instant now) {
        return jdbc.sql("update checkout_sessions set status = :status, closed_at = :now where id = :id and status = 'open'")
                .param("id", id).param("status", status.wire()).param("now", Timestamp.from(now)).update() == 1;
    }

    void markAbandoned(String id, Instant now) {
        jdbc.sql("update checkout_sessions set abandoned_at = :now where id = :id")
                .param("id", id).param("now", Timestamp.from(now)).update();
    }

    /** Closes every open session of the order as complete (its order is paid or authorised). */
    void completeOfOrder(String orderId, Instant now) {
        jdbc.sql("""
                        update checkout_sessions set status = 'complete', closed_at = :now
                        where order_id = :order and status = 'open'
                        """)
                .param("order", orderId).param("now", Timestamp.from(now)).update();
    }

    /** Open, viewed, not abandoned sessions whose last step is older than the cutoff, claimed (skip locked). */
    List<String> idleBefore(Instant cutoff, int limit) {
        return jdbc.sql("""
                        select id from checkout_sessions
                        where status = 'open' and viewed_at is not null and abandoned_at is null and last_step_at < :cutoff
                        order by last_step_at limit :limit
                        """)
                .param("cutoff", Timestamp.from(cutoff)).param("limit", limit).query(String.class).list();
    }

    List<String> dueToExpire(Instant now, int limit) {
        return jdbc.sql("""
                        select id from checkout_sessions where status = 'open' and expires_at <= :now
                        order by expires_at limit :limit
                        """)
                .param("now", Timestamp.from(now)).param("limit", limit).query(String.class).list();
    }

    private static CheckoutSession row(ResultSet rs) throws SQLException {
        Array providers = rs.getArray("providers");
        return new CheckoutSession(rs.getString("id"), rs.getString("token"), rs.getString("url"), rs.getString("order_id"),
                CheckoutSession.Status.fromWire(rs.getString("status")), rs.getString("return_url"),
                rs.getString("cancel_url"), rs.getString("locale"),
                providers == null ? null : Arrays.asList((String[]) providers.getArray()),
                instant(rs, "created_at"), instant(rs, "expires_at"),
                rs.getString("device") == null ? null : DeviceClass.fromWire(rs.getString("device")).orElse(null),
                instant(rs, "viewed_at"), instant(rs, "last_step_at"), instant(rs, "abandoned_at"),
                instant(rs, "closed_at"), rs.getString("current_payment_id"), rs.getString("current_provider"),
                rs.getString("returned_payment_id"), instant(rs, "returned_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
