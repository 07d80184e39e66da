package io.moneytrail.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.TableCells;
import org.junit.jupiter.api.Test;

class RefundStateTableTest {

    @Test
    void every_cell_of_the_refund_table() {
        int cells = TableCells.verify(RefundState.TABLE, RefundState.class, RefundState.Event.class, """
                pending succeed -> succeeded
                pending fail -> failed
                pending lose_track -> unknown
                unknown succeed -> succeeded
                unknown fail -> failed
                unknown confirm_pending -> pending
                pending escalate -> needs_review
                unknown escalate -> needs_review
                needs_review succeed -> succeeded
                needs_review fail -> failed
                """);
        assertThat(cells).isEqualTo(5 * 5);
    }
}
