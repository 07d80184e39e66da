package io.moneytrail.payment;

import io.moneytrail.order.OrderMoney;
import io.moneytrail.order.PaymentStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The payment module's read model of an order's money: the view {@code order_money} (V1, V2_1),
 * the one place where the payment status is derived from the money facts. The order module
 * reads it through {@link io.moneytrail.order.OrderMoneyPort}, never by SQL.
 */
@Repository
class OrderMoneyView {

    private static final String SELECT = """
            select order_id, amount_authorized, amount_authorized_open, amount_captured, amount_voided,
                   amount_refunded, payment_status
            from order_money
            """;

    private final JdbcClient jdbc;

    OrderMoneyView(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<OrderMoney> find(String orderId) {
        return jdbc.sql(SELECT + " where order_id = :id").param("id", orderId).query(OrderMoneyView::map).optional();
    }

    Map<String, OrderMoney> of(Collection<String> orderIds) {
        Map<String, OrderMoney> found = new HashMap<>();
        if (orderIds.isEmpty()) {
            return found;
        }
        jdbc.sql(SELECT + " where order_id in (:ids)").param("ids", orderIds)
                .query((rs, n) -> found.put(rs.getString("order_id"), map(rs, n))).list();
        return found;
    }

    List<String> orderIdsWith(PaymentStatus status, String startingAfter, int limit) {
        return jdbc.sql("""
                        select order_id from order_money
                        where payment_status = :status and (cast(:after as text) is null or order_id < :after)
                        order by order_id desc limit :limit
                        """)
                .param("status", status.wire()).param("after", startingAfter).param("limit", limit)
                .query(String.class).list();
    }

    static OrderMoney map(ResultSet rs, int row) throws SQLException {
        return new OrderMoney(rs.getLong("amount_authorized"), rs.getLong("amount_authorized_open"),
                rs.getLong("amount_captured"), rs.getLong("amount_voided"), rs.getLong("amount_refunded"),
                PaymentStatus.fromWire(rs.getString("payment_status")));
    }
}
