package io.moneytrail.reconrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.TableCells;
import org.junit.jupiter.api.Test;

class ExceptionStatusTableTest {

    @Test
    void every_cell_of_the_exceptions_table() {
        int cells = TableCells.verify(ExceptionStatus.TABLE, ExceptionStatus.class, ExceptionStatus.Action.class, """
                open acknowledge -> acknowledged
                acknowledged resolve -> resolved
                acknowledged ignore -> ignored
                resolved reopen -> open
                ignored reopen -> open
                """);
        assertThat(cells).isEqualTo(16);
    }
}
