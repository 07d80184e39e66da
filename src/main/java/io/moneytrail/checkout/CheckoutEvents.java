package io.moneytrail.checkout;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** {@code checkout_events}: written by {@link FunnelRecorder}, read through {@link FunnelEvents}. */
@Repository
class CheckoutEvents implements FunnelEvents {

    private static final String COLUMNS = "id, session_id, order_id, provider, device, step, reason_code, occurred_at";
    /** Rows fetched per round trip when streaming a period. */
    private static final int FETCH_SIZE = 1000;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate tx;

    CheckoutEvents(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.template = template;
        this.tx = tx;
    }

    void insert(String sessionId, String orderId, String provider, DeviceClass device, FunnelStep step,
                String reasonCode, Instant at) {
        jdbc.sql("""
                        insert into checkout_events (session_id, order_id, provider, device, step, reason_code, occurred_at)
                        values (:session, :order, :provider, :device, :step, :reason, :at)
                        """)
                .param("session", sessionId).param("order", orderId).param("provider", provider)
                .param("device", (device == null ? DeviceClass.UNKNOWN : device).wire()).param("step", step.wire())
                .param("reason", reasonCode).param("at", Timestamp.from(at))
                .update();
    }

    /**
     * A step of the money, in one statement: counted for the order's newest session (its device;
     * the session's last step moves) or, without a session, for the order alone; with
     * {@code oncePerOrder} only if the order does not have the step yet. Answers whether it was recorded.
     */
    boolean insertMoneyStep(String orderId, FunnelStep step, String provider, String reasonCode, Instant at,
                            boolean oncePerOrder) {
        return insertMoneyStep(orderId, step, provider, reasonCode, at, oncePerOrder, false);
    }

    /**
     * As {@link #insertMoneyStep(String, FunnelStep, String, String, Instant, boolean)}; with
     * {@code completeSessions} the same statement also completes the order's open sessions (as
     * {@link CheckoutSessions#completeOfOrder} does), whether or not the step was recorded.
     */
    boolean insertMoneyStep(String orderId, FunnelStep step, String provider, String reasonCode, Instant at,
                            boolean oncePerOrder, boolean completeSessions) {
        // one update of checkout_sessions: a row may be changed only once by one statement
        return jdbc.sql("""
                        with s as (select id, device from checkout_sessions where order_id = :order
                                   order by created_at desc, id desc limit 1),
                        ins as (
                            insert into checkout_events (session_id, order_id, provider, device, step, reason_code,
                                                         occurred_at)
                            select (select id from s), :order, :provider, coalesce((select device from s), 'unknown'),
                                   :step, :reason, :at
                            where not :once or not exists (select 1 from checkout_events
                                                           where order_id = :order and step = :step)
                            returning session_id),
                        touched as (
                            update checkout_sessions c
                            set last_step_at = case when c.id in (select session_id from ins)
                                                    then greatest(coalesce(c.last_step_at, :at), :at)
                                                    else c.last_step_at end,
                                status = case when :complete and c.status = 'open' then 'complete' else c.status end,
                                closed_at = case when :complete and c.status = 'open' then :at else c.closed_at end
                            where c.order_id = :order
                              and (c.id in (select session_id from ins) or (:complete and c.status = 'open'))
                            returning c.id)
                        select count(*) from ins
                        """)
                .param("order", orderId).param("provider", provider).param("step", step.wire())
                .param("reason", reasonCode).param("at", Timestamp.from(at)).param("once", oncePerOrder)
                .param("complete", completeSessions)
                .query(Integer.class).single() > 0;
    }

    /**
     * {@code payment_started} of an order without a checkout session, once per order, in one
     * statement: nothing is written for an order that has a session or already has the step.
     */
    void insertStarted(String orderId, String provider, Instant at) {
        jdbc.sql("""
                        insert into checkout_events (session_id, order_id, provider, device, step, reason_code,
                                                     occurred_at)
                        select null, :order, :provider, :device, :step, null, :at
                        where not exists (select 1 from checkout_sessions where order_id = :order)
                          and not exists (select 1 from checkout_events where order_id = :order and step = :step)
                        """)
                .param("order", orderId).param("provider", provider).param("device", DeviceClass.UNKNOWN.wire())
                .param("step", FunnelStep.PAYMENT_STARTED.wire()).param("at", Timestamp.from(at))
                .update();
    }

    /** Whether the order (any of its sessions, or its API payments) already has this step. */
    boolean orderHas(String orderId, FunnelStep step) {
        return jdbc.sql("select exists (select 1 from checkout_events where order_id = :order and step = :step)")
                .param("order", orderId).param("step", step.wire()).query(Boolean.class).single();
    }

    /** The session's latest step (by time, then id). */
    java.util.Optional<FunnelStep> lastStepOf(String sessionId) {
        return jdbc.sql("select step from checkout_events where session_id = :session order by occurred_at desc, id desc limit 1")
                .param("session", sessionId).query(String.class).optional().flatMap(FunnelStep::fromWire);
    }

    @Override
    public List<FunnelEvent> between(Instant from, Instant to) {
        List<FunnelEvent> events = new ArrayList<>();
        forEachBetween(from, to, event -> {
            if (events.size() >= LIST_MAX) {
                throw new IllegalStateException("more than " + LIST_MAX + " funnel events between " + from + " and "
                        + to + "; read them with forEachBetween");
            }
            events.add(event);
        });
        return events;
    }

    @Override
    public void forEachBetween(Instant from, Instant to, Consumer<FunnelEvent> each) {
        stream("select " + COLUMNS + " from checkout_events where occurred_at >= ? and occurred_at < ?"
                + " order by occurred_at, id", each, from, to);
    }

    @Override
    public void forEachOfJourneysTouching(Instant from, Instant to, Consumer<FunnelEvent> each) {
        stream("select " + COLUMNS + " from checkout_events e where coalesce(e.session_id, 'order:' || e.order_id) in ("
                + " select coalesce(t.session_id, 'order:' || t.order_id) from checkout_events t"
                + " where t.occurred_at >= ? and t.occurred_at < ?) order by e.occurred_at, e.id", each, from, to);
    }

    /** Index checkout_events_journey (V24) serves both the "started before" probe and the join. */
    @Override
    public void forEachOfJourneysStartedIn(Instant from, Instant to, Consumer<FunnelEvent> each) {
        stream("with bounds as (select ?::timestamptz as f, ?::timestamptz as u),"
                + " touched as (select distinct coalesce(t.session_id, 'order:' || t.order_id) as journey"
                + "   from checkout_events t, bounds where t.occurred_at >= bounds.f and t.occurred_at < bounds.u),"
                + " started as (select touched.journey from touched, bounds where not exists (select 1 from checkout_events b"
                + "   where coalesce(b.session_id, 'order:' || b.order_id) = touched.journey and b.occurred_at < bounds.f))"
                + " select " + COLUMNS.replaceAll("(\\w+)", "e.$1") + " from checkout_events e"
                + " join started s on coalesce(e.session_id, 'order:' || e.order_id) = s.journey"
                + " order by coalesce(e.session_id, 'order:' || e.order_id), e.occurred_at, e.id", each, from, to);
    }

    @Override
    public List<FunnelEvent> ofOrder(String orderId) {
        return jdbc.sql("select " + COLUMNS + " from checkout_events where order_id = :order order by occurred_at, id")
                .param("order", orderId).query((rs, n) -> row(rs)).list();
    }

    /** A read-only transaction so that the driver really uses a cursor (fetch size needs autocommit off). */
    private void stream(String sql, Consumer<FunnelEvent> each, Instant from, Instant to) {
        tx.executeWithoutResult(status -> {
            status.setRollbackOnly();
            template.query(connection -> {
                var statement = connection.prepareStatement(sql);
                statement.setFetchSize(FETCH_SIZE);
                statement.setTimestamp(1, Timestamp.from(from));
                statement.setTimestamp(2, Timestamp.from(to));
                return statement;
            }, rs -> {
                each.accept(row(rs));
            });
        });
    }

    private static FunnelEvent row(ResultSet rs) throws SQLException {
        return new FunnelEvent(rs.getLong("id"), rs.getString("session_id"), rs.getString("order_id"),
                rs.getString("provider"), DeviceClass.fromWire(rs.getString("device")).orElse(DeviceClass.UNKNOWN),
                FunnelStep.fromWire(rs.getString("step")).orElseThrow(), rs.getString("reason_code"),
                rs.getTimestamp("occurred_at").toInstant());
    }
}
