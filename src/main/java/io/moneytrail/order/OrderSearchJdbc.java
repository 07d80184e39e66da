package io.moneytrail.order;

import io.moneytrail.money.Check;
import io.moneytrail.money.Money;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The SQL behind {@link OrderSearch}: one statement per page, each condition on an index, in
 * the order of {@code orders_created_idx (created_at, id)} (and {@code orders_status_created_idx}
 * with a status).
 */
@Component
class OrderSearchJdbc implements OrderSearch {

    private final JdbcClient jdbc;
    private final OrderMoneyPort money;

    OrderSearchJdbc(JdbcClient jdbc, OrderMoneyPort money) {
        this.jdbc = jdbc;
        this.money = money;
    }

    @Override
    public List<Row> search(Criteria criteria, String startingAfter, int limit) {
        List<Row> rows = rows(criteria, startingAfter, limit);
        Map<String, OrderMoney> sums = money.moneyOf(rows.stream().map(Row::id).toList());
        return rows.stream().map(r -> new Row(r.id(), r.reference(), r.status(), r.amountTotal(), r.customerEmail(),
                r.customerPhone(), r.created(), sums.get(r.id()))).toList();
    }

    @Override
    public List<Row> rows(Criteria criteria, String startingAfter, int limit) {
        Check.that(limit >= 1 && limit <= CANDIDATES_MAX, "page size within bounds");
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        String text = criteria.text() == null ? null : criteria.text().strip();
        if (text != null && !text.isEmpty()) {
            List<String> any = new ArrayList<>(List.of("id = :text", "reference = :text",
                    "lower(customer_email) = :email"));
            params.put("text", text);
            params.put("email", text.toLowerCase(Locale.ROOT));
            String phone = phone(text);
            if (phone != null) {
                any.add("customer_phone = :phone");
                any.add("customer_phone = :text");
                params.put("phone", phone);
            }
            if (criteria.alsoIds() != null && !criteria.alsoIds().isEmpty()) {
                Check.that(criteria.alsoIds().size() <= IDS_MAX, "ids within bounds");
                any.add("id in (:also)");
                params.put("also", List.copyOf(criteria.alsoIds()));
            }
            where.add("(" + String.join(" or ", any) + ")");
        }
        if (criteria.onlyIds() != null) {
            if (criteria.onlyIds().isEmpty()) {
                return List.of();
            }
            Check.that(criteria.onlyIds().size() <= IDS_MAX, "ids within bounds");
            where.add("id in (:only)");
            params.put("only", List.copyOf(criteria.onlyIds()));
        }
        if (criteria.status() != null) {
            where.add("status = :status");
            params.put("status", criteria.status().wire());
        }
        if (criteria.from() != null) {
            where.add("created_at >= :from");
            params.put("from", Timestamp.from(criteria.from()));
        }
        if (criteria.to() != null) {
            where.add("created_at < :to");
            params.put("to", Timestamp.from(criteria.to()));
        }
        if (startingAfter != null) {
            // a row comparison on (created_at, id): an index condition of orders_created_idx and
            // orders_status_created_idx, so a page deep in the list starts where the last one ended
            where.add("(created_at, id) < ((select c.created_at from orders c where c.id = :after), :after)");
            params.put("after", startingAfter);
        }
        params.put("limit", limit);
        // newest first by creation time: with a date filter, ordering by id made the planner walk the
        // primary key from the newest order and filter, 1.2 s for a week three months back at 1,000,000
        // orders (docs/backoffice.md, "Speed"); (created_at, id) is an index that starts at the range
        String sql = "select id, reference, status, currency, amount_total, customer_email, customer_phone, created_at"
                + " from orders" + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
                + " order by created_at desc, id desc limit :limit";
        return jdbc.sql(sql).params(params).query(OrderSearchJdbc::row).list();
    }

    @Override
    public Counts count(java.time.Instant from, java.time.Instant to) {
        return jdbc.sql("""
                        select count(*) as created, count(*) filter (where status = 'fulfilled') as fulfilled
                        from orders where created_at >= :from and created_at < :to""")
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, n) -> new Counts(rs.getLong("created"), rs.getLong("fulfilled"))).single();
    }

    /** The text as a phone number is stored ({@code +79001234567}), or null if it is none. */
    static String phone(String text) {
        String digits = text.replaceAll("[\\s()\\-.]", "");
        return digits.matches("\\+?[0-9]{5,20}") ? digits : null;
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getString("id"), rs.getString("reference"),
                OrderStatus.fromWire(rs.getString("status")),
                Money.of(rs.getLong("amount_total"), rs.getString("currency").strip()),
                rs.getString("customer_email"), rs.getString("customer_phone"),
                rs.getTimestamp("created_at").toInstant(), null);
    }
}
