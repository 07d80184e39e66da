package io.moneytrail.access;

import io.moneytrail.money.Check;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the audit log: newest first, filtered, a page at a time after an id cursor. */
@Component
public class AuditLog {

    public static final int PAGE_SIZE_MAX = 100;

    /**
     * What to list; every field is optional.
     *
     * @param actorId    the actor's id (a key id, a user name, a job name)
     * @param objectId   the target object's id
     * @param action     the action, exactly ({@code payment.capture})
     * @param from       occurred at or after
     * @param to         occurred before
     */
    public record Filter(String actorId, String objectId, String action, Instant from, Instant to) {
    }

    private final JdbcClient jdbc;
    private final AuditTrail trail;

    AuditLog(JdbcClient jdbc, AuditTrail trail) {
        this.jdbc = jdbc;
        this.trail = trail;
    }

    /** Up to {@code limit} rows, newest first, older than the row {@code startingAfter}. */
    public List<AuditRecord> list(Filter filter, String startingAfter, int limit) {
        Check.that(limit >= 1 && limit <= PAGE_SIZE_MAX + 1, "page size within bounds");
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (filter.actorId() != null) {
            where.add("actor_id = :actor");
            params.put("actor", filter.actorId());
        }
        if (filter.objectId() != null) {
            where.add("object_id = :object");
            params.put("object", filter.objectId());
        }
        if (filter.action() != null) {
            where.add("action = :action");
            params.put("action", filter.action());
        }
        if (filter.from() != null) {
            where.add("occurred_at >= :from");
            params.put("from", Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            where.add("occurred_at < :to");
            params.put("to", Timestamp.from(filter.to()));
        }
        if (startingAfter != null) {
            where.add("id < :after");
            params.put("after", startingAfter);
        }
        params.put("limit", limit);
        String sql = "select * from audit_log" + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
                + " order by id desc limit :limit";
        trail.flush(); // a read inside a recording transaction sees its rows
        return jdbc.sql(sql).params(params).query(AuditLog::map).list();
    }

    private static AuditRecord map(ResultSet rs, int row) throws SQLException {
        Integer status = rs.getObject("http_status", Integer.class);
        return new AuditRecord(rs.getString("id"), rs.getTimestamp("occurred_at").toInstant(),
                rs.getString("actor_kind"), rs.getString("actor_id"), rs.getString("actor_name"),
                rs.getString("actor_role"), rs.getString("action"), rs.getString("object_type"),
                rs.getString("object_id"), rs.getString("request_id"), rs.getString("http_method"),
                rs.getString("http_path"), status, rs.getString("outcome"),
                rs.getString("reason"), rs.getString("details"));
    }
}
