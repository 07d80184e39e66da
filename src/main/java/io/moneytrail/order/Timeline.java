package io.moneytrail.order;

import io.moneytrail.database.TransactionBuffer;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
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
 *
 * <p>Inside a transaction, entries are kept in memory and written together, in the order they
 * were recorded, by one statement just before the transaction commits (and before any read of
 * the timeline in that transaction, so the transaction sees its own entries). An entry
 * recorded after that flush (by another before-commit step) is written at once. A transaction
 * that rolls back writes none. Outside a transaction an entry is written at once.
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
        this.pending = new TransactionBuffer<>(jdbc, this::insert);
    }

    private record Pending(String orderId, Timestamp at, String kind, String summary, String data) {
    }

    private final TransactionBuffer<Pending> pending;

    public void record(String orderId, TimelineKind kind, String summary, Map<String, ?> data) {
        pending.add(new Pending(orderId, Timestamp.from(clock.instant()), kind.wire(), summary,
                json.writeValueAsString(data)));
    }

    /** Writes what this transaction recorded so far (reads here do it themselves). */
    public void flush() {
        pending.flush();
    }

    public List<TimelineEntry> of(String orderId) {
        flush();
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

    /** The insert of the given rows, in the given order (ids ascend with it), as part of one statement. */
    private TransactionBuffer.Piece insert(List<Pending> entries, String prefix) {
        List<Object[]> rows = new ArrayList<>(entries.size());
        for (Pending entry : entries) {
            rows.add(new Object[] {entry.orderId(), entry.at().toInstant().toString(), entry.kind(), entry.summary(),
                    entry.data()});
        }
        return new TransactionBuffer.Piece(List.of(prefix + """
                timeline as (
                    insert into timeline (order_id, occurred_at, kind, summary, data)
                    select x.e->>0, (x.e->>1)::timestamptz, x.e->>2, x.e->>3, (x.e->>4)::jsonb
                    from json_array_elements(cast(:%1$srows as json)) with ordinality as x(e, n)
                    order by x.n
                )""".formatted(prefix)), Map.of(prefix + "rows", json.writeValueAsString(rows)));
    }
}
