package io.moneytrail.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.TableCells;
import org.junit.jupiter.api.Test;

class OrderStatusTableTest {

    @Test
    void every_cell_of_the_order_lifecycle_table() {
        int cells = TableCells.verify(OrderStatus.TABLE, OrderStatus.class, OrderStatus.Event.class, """
                open fulfill -> fulfilled
                open cancel -> cancelled
                open expire -> expired
                """);
        assertThat(cells).isEqualTo(4 * 3);
    }
}
