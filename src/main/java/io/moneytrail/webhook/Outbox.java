package io.moneytrail.webhook;

import io.moneytrail.database.TransactionBuffer;
import io.moneytrail.money.Check;
import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.ObjectMapper;

/**
 * The outbox: events for the store, recorded in the transaction of the change they describe
 * (so an event exists if and only if its change committed), each with a stable id, a
 * sequence and one pending delivery per enabled endpoint. {@link OutboundDelivery} sends them;
 * stores may also poll them ({@code GET /v1/events}).
 */
@Service
public class Outbox {

    public static final int PAGE_SIZE_MAX = 100;

    private static final String SELECT = """
            select id, sequence, type, order_id, object_id, payload::text as payload, created_at from outbox_events
            """;

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    Outbox(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.pending = new TransactionBuffer<>(jdbc, this::insert);
    }

    /** An event to write: its envelope's text before and after the sequence, which the database assigns. */
    private record Pending(String id, OutboundEventType type, String orderId, String objectId, String before,
                           String after, Instant at) {
    }

    /** Stands for the sequence in the serialised envelope until the database assigns it. */
    private static final long SEQUENCE_PLACEHOLDER = -7_700_770_077_007_700L;

    private final TransactionBuffer<Pending> pending;

    /**
     * Records an event in the current transaction and schedules its delivery to every enabled
     * endpoint. {@code data} becomes the envelope's {@code data} ({@code object} and, where it
     * applies, {@code previous_attributes}). The transaction's events are written together just
     * before it commits, still under its locks, by one statement that also assigns their
     * sequence numbers in the order they were recorded.
     */
    void record(OutboundEventType type, String orderId, String objectId, Map<String, Object> data, Instant at) {
        Check.that(TransactionSynchronizationManager.isActualTransactionActive(),
                "an outbox event is recorded inside the transaction of its change");
        String id = Ids.next(Ids.EVENT);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("id", id);
        envelope.put("object", "event");
        envelope.put("type", type.wire());
        envelope.put("created", at.getEpochSecond());
        envelope.put("sequence", SEQUENCE_PLACEHOLDER);
        envelope.put("order", orderId);
        envelope.put("data", data);
        String payload = json.writeValueAsString(envelope);
        String marker = "\"sequence\":" + SEQUENCE_PLACEHOLDER;
        int cut = payload.indexOf(marker);
        Check.that(cut > 0, "the envelope has its sequence before its data");
        pending.add(new Pending(id, type, orderId, objectId, payload.substring(0, cut + marker.length()
                - Long.toString(SEQUENCE_PLACEHOLDER).length()), payload.substring(cut + marker.length()), at));
    }

    /** Writes the events this transaction recorded so far (reads here do it themselves). */
    void flush() {
        pending.flush();
    }

    /**
     * As part of one statement: sequence numbers in the given order, the events with their
     * sequence in the payload, and a pending delivery of each to every enabled endpoint.
     */
    private TransactionBuffer.Piece insert(List<Pending> events, String p) {
        List<Object[]> rows = new ArrayList<>(events.size());
        for (Pending event : events) {
            rows.add(new Object[] {event.id(), event.type().wire(), event.orderId(), event.objectId(), event.before(),
                    event.after(), event.at().toString()});
        }
        return new TransactionBuffer.Piece(List.of(
                """
                %1$sgiven as (
                    select x.e->>0 as id, x.e->>1 as type, x.e->>2 as order_id, x.e->>3 as object_id,
                           x.e->>4 as before, x.e->>5 as after, (x.e->>6)::timestamptz as created_at, x.n
                    from json_array_elements(cast(:%1$srows as json)) with ordinality as x(e, n)
                )""".formatted(p),
                """
                %1$snumbered as (
                    select g.*, nextval('outbox_events_sequence_seq') as sequence
                    from (select * from %1$sgiven order by n) g
                )""".formatted(p),
                """
                %1$sevent as (
                    insert into outbox_events (id, sequence, type, order_id, object_id, payload, created_at)
                    select id, sequence, type, order_id, object_id, cast(before || sequence || after as json), created_at
                    from %1$snumbered order by n
                    returning id, sequence
                )""".formatted(p),
                """
                %1$sdeliveries as (
                    insert into outbox_deliveries (event_id, endpoint_id, event_sequence, status, next_attempt_at)
                    select e.id, w.id, e.sequence, 'pending', now()
                    from %1$sevent e cross join webhook_endpoints w where w.enabled
                )""".formatted(p)),
                Map.of(p + "rows", json.writeValueAsString(rows)));
    }

    public Optional<OutboxEvent> find(String id) {
        flush();
        return jdbc.sql(SELECT + " where id = :id").param("id", id).query(Outbox::map).optional();
    }

    public OutboxEvent get(String id) {
        return find(id).orElseThrow(() -> MoneytrailException.notFound("id", id));
    }

    /** A page, newest first, after the cursor {@code startingAfter}; filters may be null. */
    public List<OutboxEvent> list(OutboundEventType type, String orderId, String startingAfter, int limit) {
        Check.that(limit >= 1 && limit <= PAGE_SIZE_MAX + 1, "page size within bounds");
        flush();
        StringBuilder sql = new StringBuilder(SELECT).append(" where true");
        if (type != null) {
            sql.append(" and type = :type");
        }
        if (orderId != null) {
            sql.append(" and order_id = :order");
        }
        if (startingAfter != null) {
            sql.append(" and id < :after");
        }
        sql.append(" order by id desc limit :limit");
        var spec = jdbc.sql(sql.toString()).param("limit", limit);
        if (type != null) {
            spec = spec.param("type", type.wire());
        }
        if (orderId != null) {
            spec = spec.param("order", orderId);
        }
        if (startingAfter != null) {
            spec = spec.param("after", startingAfter);
        }
        return spec.query(Outbox::map).list();
    }

    /** How many deliveries are parked ({@code failed} after their last attempt), waiting for an operator. */
    public long parkedDeliveries() {
        flush();
        return jdbc.sql("select count(*) from outbox_deliveries where status = 'failed'").query(Long.class).single();
    }

    /** The event's deliveries, one per endpoint that was enabled when it was recorded. */
    public List<OutboxDelivery> deliveries(String eventId) {
        flush();
        return jdbc.sql("""
                        select d.event_id, d.endpoint_id, w.url, d.status, d.attempts, d.next_attempt_at,
                               d.last_attempt_at, d.last_status, d.last_error, d.delivered_at
                        from outbox_deliveries d join webhook_endpoints w on w.id = d.endpoint_id
                        where d.event_id = :event order by d.endpoint_id
                        """)
                .param("event", eventId)
                .query((rs, n) -> new OutboxDelivery(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getInt(5), instant(rs, 6), instant(rs, 7),
                        (Integer) rs.getObject(8), rs.getString(9), instant(rs, 10)))
                .list();
    }

    /**
     * Makes the event's parked ({@code failed}) deliveries to enabled endpoints pending again,
     * due now, with a fresh budget of attempts. Returns how many.
     */
    @Transactional
    public int redeliver(String eventId) {
        jdbc.sql("select id from outbox_events where id = :id for share").param("id", eventId).query(String.class)
                .optional().orElseThrow(() -> MoneytrailException.notFound("id", eventId));
        int reset = jdbc.sql("""
                        update outbox_deliveries d
                        set status = 'pending', attempts = 0, next_attempt_at = now(),
                            lease_until = null, lease_token = null, leased_by = null
                        from webhook_endpoints w
                        where d.event_id = :event and d.status = 'failed' and w.id = d.endpoint_id and w.enabled
                        """)
                .param("event", eventId).update();
        if (reset == 0) {
            throw MoneytrailException.state("nothing_to_redeliver", "event " + eventId
                    + " has no failed deliveries to enabled endpoints");
        }
        return reset;
    }

    private static OutboxEvent map(ResultSet rs, int row) throws SQLException {
        return new OutboxEvent(rs.getString("id"), rs.getLong("sequence"),
                OutboundEventType.fromWire(rs.getString("type")).orElseThrow(
                        () -> new IllegalStateException("unknown outbox event type in the database")),
                rs.getString("order_id"), rs.getString("object_id"), rs.getString("payload"),
                rs.getTimestamp("created_at").toInstant());
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
