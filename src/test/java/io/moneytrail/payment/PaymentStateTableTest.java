package io.moneytrail.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.TableCells;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaymentStateTableTest {

    @Test
    void every_cell_of_the_payment_table() {
        int cells = TableCells.verify(PaymentState.TABLE, PaymentState.class, PaymentState.Event.class, """
                requires_action submit -> processing
                requires_action authorize -> authorized
                requires_action capture -> captured
                requires_action void -> voided
                requires_action fail -> failed
                requires_action expire -> expired
                requires_action lose_track -> unknown
                processing require_action -> requires_action
                processing authorize -> authorized
                processing capture -> captured
                processing void -> voided
                processing fail -> failed
                processing expire -> expired
                processing lose_track -> unknown
                unknown require_action -> requires_action
                unknown submit -> processing
                unknown authorize -> authorized
                unknown capture -> captured
                unknown void -> voided
                unknown fail -> failed
                unknown expire -> expired
                unknown escalate -> needs_review
                processing escalate -> needs_review
                needs_review require_action -> requires_action
                needs_review submit -> processing
                needs_review authorize -> authorized
                needs_review capture -> captured
                needs_review void -> voided
                needs_review fail -> failed
                needs_review expire -> expired
                authorized capture_part -> partially_captured
                authorized capture -> captured
                authorized void -> voided
                authorized expire -> expired
                partially_captured capture_part -> partially_captured
                partially_captured capture -> captured
                partially_captured void -> captured
                partially_captured expire -> captured
                """);
        assertThat(cells).isEqualTo(10 * 10);
    }

    @Test
    void terminal_states_accept_nothing() {
        for (PaymentState state : List.of(PaymentState.CAPTURED, PaymentState.VOIDED, PaymentState.FAILED,
                PaymentState.EXPIRED)) {
            assertThat(PaymentState.TABLE.isTerminal(state)).as(state.name()).isTrue();
        }
    }

    @Test
    void catching_up_after_missed_events_walks_legal_moves_only() {
        assertThat(PaymentState.TABLE.path(PaymentState.UNKNOWN, PaymentState.PARTIALLY_CAPTURED))
                .contains(List.of(PaymentState.Event.AUTHORIZE, PaymentState.Event.CAPTURE_PART));
        assertThat(PaymentState.TABLE.path(PaymentState.CAPTURED, PaymentState.AUTHORIZED)).isEmpty();
        assertThat(PaymentState.TABLE.path(PaymentState.FAILED, PaymentState.CAPTURED)).isEmpty();
    }
}
