package io.moneytrail.order;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The SQL behind {@link OrderBulkLoad}. */
@Component
class OrderBulkLoadJdbc implements OrderBulkLoad {

    private final JdbcClient jdbc;

    OrderBulkLoadJdbc(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the orders and their lines; how many orders. */
    @Override
    public int insert(List<BulkOrder> orders) {
        if (orders.size() > ORDERS_MAX) {
            throw new IllegalArgumentException("at most " + ORDERS_MAX + " orders per call, not " + orders.size());
        }
        if (orders.isEmpty()) {
            return 0;
        }
        String[] ids = orders.stream().map(BulkOrder::id).toArray(String[]::new);
        String[] totals = orders.stream().map(o -> Long.toString(o.total().amountMinor())).toArray(String[]::new);
        int inserted = jdbc.sql("""
                        insert into orders (id, reference, currency, amount_total, vat_total, status, customer_email,
                                            customer_phone, created_at, updated_at)
                        select id, reference, currency, total, 0, status, email, phone, at, at
                        from unnest(cast(:ids as text[]), cast(:refs as text[]), cast(:currencies as text[]),
                                    cast(:totals as bigint[]), cast(:statuses as text[]), cast(:emails as text[]),
                                    cast(:phones as text[]), cast(:ats as timestamptz[]))
                             as t(id, reference, currency, total, status, email, phone, at)
                        """)
                .param("ids", ids)
                .param("refs", orders.stream().map(BulkOrder::reference).toArray(String[]::new))
                .param("currencies", orders.stream().map(o -> o.total().currencyCode()).toArray(String[]::new))
                .param("totals", totals)
                .param("statuses", orders.stream().map(o -> o.status().wire()).toArray(String[]::new))
                .param("emails", orders.stream().map(BulkOrder::customerEmail).toArray(String[]::new))
                .param("phones", orders.stream().map(BulkOrder::customerPhone).toArray(String[]::new))
                .param("ats", orders.stream().map(o -> o.createdAt().toString()).toArray(String[]::new))
                .update();
        jdbc.sql("""
                        insert into order_lines (order_id, line_no, sku, name, quantity, unit_amount, vat_rate,
                                                 amount_total, amount_vat)
                        select id, 1, sku, name, 1, total, 0, total, 0
                        from unnest(cast(:ids as text[]), cast(:skus as text[]), cast(:names as text[]),
                                    cast(:totals as bigint[])) as t(id, sku, name, total)
                        """)
                .param("ids", ids)
                .param("skus", orders.stream().map(BulkOrder::sku).toArray(String[]::new))
                .param("names", orders.stream().map(BulkOrder::name).toArray(String[]::new))
                .param("totals", totals)
                .update();
        return inserted;
    }
}
