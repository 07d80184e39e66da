package io.moneytrail.ledger;

import io.moneytrail.payment.MoneyMoved;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Test-only fault: when armed for an order, it terminates the database connection of the
 * transaction that has just written a money fact and is about to post its journal entry.
 * It runs before the ledger's own listener.
 */
@Component
public class ConnectionKiller {

    static final AtomicReference<String> ARMED_FOR_ORDER = new AtomicReference<>();

    private final JdbcClient jdbc;

    ConnectionKiller(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    @Order(Ordered.HIGHEST_PRECEDENCE)
    void between_the_fact_and_its_entry(MoneyMoved moved) {
        if (moved.orderId().equals(ARMED_FOR_ORDER.get())) {
            jdbc.sql("select pg_terminate_backend(pg_backend_pid())").query().singleRow();
        }
    }
}
