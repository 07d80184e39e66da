package io.moneytrail.order;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Every fact about an order, in the order it was recorded: creation, state changes with
 * their cause, provider calls and results, webhooks, money transactions. Appended in the
 * same transaction as the fact it describes.
 */
@Component
public class Timeline {

    /** Bound on entries returned for one order. */
    public static final int ENTRIES_MAX = 1000;

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    Timeline(JdbcClient jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    public void record(String orderId, TimelineKind kind, String summary, Map<String, ?> data) {
        jdbc.sql("""
                insert into timeline (order_id, occurred_at, kind, summary, data)
                values (:order, :at, :kind, :summary, cast(:data as jsonb))
                """)
                .param("order", orderId).param("at", Timestamp.from(clock.instant())).param("kind", kind.wire())
                .param("summary", summary).param("data", json.writeValueAsString(data))
                .update();
    }

    public List<TimelineEntry> of(String orderId) {
        return jdbc.sql("""
                        select id, occurred_at, kind, summary, data::text from timeline
                        where order_id = :order order by id limit :max
                        """)
                .param("order", orderId).param("max", ENTRIES_MAX)
                .query((rs, n) -> new TimelineEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(), TimelineKind.fromWire(rs.getString(3)),
                        rs.getString(4), json.readValue(rs.getString(5), new TypeReference<Map<String, Object>>() {
                        })))
                .list();
    }
}
