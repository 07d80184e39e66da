package io.moneytrail.checkout;

import io.moneytrail.database.TransactionBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/** {@code checkout_events}: written by {@link FunnelRecorder}, read through {@link FunnelEvents}. */
@Repository
class CheckoutEvents implements FunnelEvents {

    private static final String COLUMNS = "id, session_id, order_id, provider, device, step, reason_code, occurred_at";
    /** Rows fetched per round trip when streaming a period. */
    private static final int FETCH_SIZE = 1000;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate tx;

    private final ObjectMapper json;
    /** The money's steps of this transaction, written with its other buffered rows just before it commits. */
    private final TransactionBuffer<MoneyStep> moneySteps;

    CheckoutEvents(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate tx, ObjectMapper json) {
        this.jdbc = jdbc;
        this.template = template;
        this.tx = tx;
        this.json = json;
        this.moneySteps = new TransactionBuffer<>(jdbc, this::moneySteps);
    }

    /**
     * A step of the money: counted for the order's newest session, or for the order alone; with
     * {@code once} only if the order has no such step yet; with {@code completeSessions} the
     * order's open sessions are completed; with {@code sessionless} only for an order without a
     * session.
     */
    private record MoneyStep(String orderId, FunnelStep step, String provider, String reasonCode, Instant at,
                             boolean once, boolean completeSessions, boolean sessionless) {
    }

    void insert(String sessionId, String orderId, String provider, DeviceClass device, FunnelStep step,
                String reasonCode, Instant at) {
        flush();
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
     * A step of the money: counted for the order's newest session (its device; the session's last
     * step moves) or, without a session, for the order alone; with {@code oncePerOrder} only if
     * the order does not have the step yet. Written just before the transaction commits, with its
     * other buffered rows in one statement ({@link TransactionBuffer}).
     */
    void insertMoneyStep(String orderId, FunnelStep step, String provider, String reasonCode, Instant at,
                         boolean oncePerOrder) {
        insertMoneyStep(orderId, step, provider, reasonCode, at, oncePerOrder, false);
    }

    /**
     * As {@link #insertMoneyStep(String, FunnelStep, String, String, Instant, boolean)}; with
     * {@code completeSessions} the same statement also completes the order's open sessions (as
     * {@link CheckoutSessions#completeOfOrder} does), whether or not the step was recorded.
     */
    void insertMoneyStep(String orderId, FunnelStep step, String provider, String reasonCode, Instant at,
                         boolean oncePerOrder, boolean completeSessions) {
        moneySteps.add(new MoneyStep(orderId, step, provider, reasonCode, at, oncePerOrder, completeSessions, false));
    }

    /**
     * {@code payment_started} of an order without a checkout session, once per order: nothing is
     * written for an order that has a session or already has the step. Buffered as
     * {@link #insertMoneyStep} is.
     */
    void insertStarted(String orderId, String provider, Instant at) {
        moneySteps.add(new MoneyStep(orderId, FunnelStep.PAYMENT_STARTED, provider, null, at, true, false, true));
    }

    /**
     * The money's steps of a transaction, in one statement: each step is inserted (in the order
     * they came) for its order's newest session; each session touched gets its latest step's
     * time, and the open sessions of an order with a completing step are completed. A row may be
     * changed only once by one statement, so each session is updated once for all the steps.
     */
    private TransactionBuffer.Piece moneySteps(List<MoneyStep> steps, String p) {
        List<Object[]> rows = new ArrayList<>();
        Set<String> once = new HashSet<>();
        for (MoneyStep step : steps) {
            if (step.once() && !once.add(step.orderId() + '\n' + step.step().wire())) {
                continue; // the same step of the same order twice here: the statement cannot see its own rows
            }
            rows.add(new Object[] {rows.size(), step.orderId(), step.provider(), step.step().wire(), step.reasonCode(),
                    step.at().toString(), step.once(), step.completeSessions(), step.sessionless()});
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put(p + "rows", json.writeValueAsString(rows));
        params.put(p + "unknown", DeviceClass.UNKNOWN.wire());
        return new TransactionBuffer.Piece(List.of(
                p + """
                steps as (
                    select (x.e->>0)::int as n, x.e->>1 as order_id, x.e->>2 as provider, x.e->>3 as step,
                           x.e->>4 as reason, (x.e->>5)::timestamptz as occurred, (x.e->>6)::boolean as once,
                           (x.e->>7)::boolean as complete, (x.e->>8)::boolean as sessionless
                    from json_array_elements(cast(:%1$srows as json)) as x(e))""".formatted(p),
                p + """
                newest as (
                    select distinct on (c.order_id) c.order_id, c.id, c.device from checkout_sessions c
                    where c.order_id in (select order_id from %1$ssteps)
                    order by c.order_id, c.created_at desc, c.id desc)""".formatted(p),
                p + """
                stepped as (
                    insert into checkout_events (session_id, order_id, provider, device, step, reason_code,
                                                 occurred_at)
                    select s.id, r.order_id, r.provider, coalesce(s.device, :%1$sunknown), r.step, r.reason, r.occurred
                    from %1$ssteps r left join %1$snewest s on s.order_id = r.order_id
                    where (not r.sessionless or s.id is null)
                      and (not r.once or not exists (select 1 from checkout_events e
                                                     where e.order_id = r.order_id and e.step = r.step))
                    order by r.n
                    returning session_id, occurred_at)""".formatted(p),
                p + """
                touched as (
                    update checkout_sessions c
                    set last_step_at = case when t.last_at is null then c.last_step_at
                                            else greatest(coalesce(c.last_step_at, t.last_at), t.last_at) end,
                        status = case when t.complete_at is not null and c.status = 'open' then 'complete'
                                      else c.status end,
                        closed_at = case when t.complete_at is not null and c.status = 'open' then t.complete_at
                                         else c.closed_at end
                    from (select c2.id,
                                 (select max(i.occurred_at) from %1$sstepped i where i.session_id = c2.id) as last_at,
                                 (select min(r.occurred) from %1$ssteps r
                                  where r.order_id = c2.order_id and r.complete) as complete_at
                          from checkout_sessions c2
                          where c2.order_id in (select order_id from %1$ssteps)) t
                    where c.id = t.id
                      and (t.last_at is not null or (t.complete_at is not null and c.status = 'open'))
                    returning c.id)""".formatted(p)), params);
    }

    /** Writes the money's steps this transaction buffered so far (before a read or write of the funnel here). */
    void flush() {
        moneySteps.flush();
    }

    /** Whether the order (any of its sessions, or its API payments) already has this step. */
    boolean orderHas(String orderId, FunnelStep step) {
        flush();
        return jdbc.sql("select exists (select 1 from checkout_events where order_id = :order and step = :step)")
                .param("order", orderId).param("step", step.wire()).query(Boolean.class).single();
    }

    /** The session's latest step (by time, then id). */
    java.util.Optional<FunnelStep> lastStepOf(String sessionId) {
        flush();
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
        flush();
        return jdbc.sql("select " + COLUMNS + " from checkout_events where order_id = :order order by occurred_at, id")
                .param("order", orderId).query((rs, n) -> row(rs)).list();
    }

    /** A read-only transaction so that the driver really uses a cursor (fetch size needs autocommit off). */
    private void stream(String sql, Consumer<FunnelEvent> each, Instant from, Instant to) {
        flush();
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
