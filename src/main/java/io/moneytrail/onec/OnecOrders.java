package io.moneytrail.onec;

import io.moneytrail.database.TransactionBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/**
 * The exchange's own tables ({@code onec_orders}, {@code onec_exchange}, migration V27): which
 * orders changed since 1C acknowledged them, what the last query sent, and the exchange's state.
 */
@Repository
class OnecOrders {

    /** An order as the exchange tracks it: its change version when read. */
    record Pending(String orderId, long version) {
    }

    private record Mark(String orderId, Instant at) {
    }

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final TransactionBuffer<Mark> marks;

    OnecOrders(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.marks = new TransactionBuffer<>(jdbc, this::markRows);
    }

    /** Notes that the order changed, in the caller's transaction (written with its other rows just before it commits). */
    void changed(String orderId, Instant at) {
        marks.add(new Mark(orderId, at));
    }

    private TransactionBuffer.Piece markRows(List<Mark> rows, String prefix) {
        Map<String, Mark> latest = new LinkedHashMap<>(); // one row per order: ON CONFLICT updates a row once per statement
        rows.forEach(mark -> latest.put(mark.orderId(), mark));
        List<Object[]> values = new ArrayList<>(latest.size());
        latest.values().forEach(mark -> values.add(new Object[] {mark.orderId(), mark.at().toString()}));
        return new TransactionBuffer.Piece(List.of(prefix + """
                onec_marks as (
                    insert into onec_orders (order_id, version, changed_at)
                    select x.e->>0, 1, (x.e->>1)::timestamptz
                    from json_array_elements(cast(:%1$srows as json)) as x(e)
                    on conflict (order_id) do update
                        set version = onec_orders.version + 1, changed_at = excluded.changed_at
                )""".formatted(prefix)), Map.of(prefix + "rows", json.writeValueAsString(values)));
    }

    /** Locks the exchange's state row for the rest of the transaction: one query, success or file at a time. */
    void lockExchange() {
        jdbc.sql("select id from onec_exchange where id = 1 for update").query(Integer.class).single();
    }

    /** Orders changed since 1C acknowledged them, oldest change first, at most {@code limit}. */
    List<Pending> pending(int limit) {
        return jdbc.sql("""
                        select order_id, version from onec_orders where version > acknowledged_version
                        order by changed_at, order_id limit :limit
                        """)
                .param("limit", limit)
                .query((rs, n) -> new Pending(rs.getString(1), rs.getLong(2))).list();
    }

    /** Remembers what this query sent (and forgets what an earlier, unacknowledged query sent). */
    void sent(List<Pending> sent, Instant at) {
        jdbc.sql("update onec_orders set sent_version = null where sent_version is not null").update();
        if (!sent.isEmpty()) {
            List<Object[]> values = sent.stream().map(p -> new Object[] {p.orderId(), p.version()}).toList();
            jdbc.sql("""
                            update onec_orders o set sent_version = (x.e->>1)::bigint
                            from json_array_elements(cast(:rows as json)) as x(e)
                            where o.order_id = x.e->>0
                            """)
                    .param("rows", json.writeValueAsString(values)).update();
        }
        jdbc.sql("update onec_exchange set last_query_at = :at, last_query_orders = :n where id = 1")
                .param("at", java.sql.Timestamp.from(at)).param("n", sent.size()).update();
    }

    /** 1C acknowledged the last query: what it sent is done. Answers how many orders that was. */
    int acknowledge(Instant at) {
        int done = jdbc.sql("""
                        update onec_orders set acknowledged_version = sent_version, sent_version = null
                        where sent_version is not null
                        """).update();
        jdbc.sql("update onec_exchange set last_success_at = :at where id = 1")
                .param("at", java.sql.Timestamp.from(at)).update();
        return done;
    }

    void fileReceived(Instant at) {
        jdbc.sql("update onec_exchange set last_file_at = :at where id = 1")
                .param("at", java.sql.Timestamp.from(at)).update();
    }
}
