package io.moneytrail.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TransitionTableTest {

    enum S { A, B, C, D }

    enum E { GO, JUMP }

    private final TransitionTable<S, E> table = TransitionTable.of("thing", S.class, E.class)
            .allow(S.A, E.GO, S.B)
            .allow(S.B, E.GO, S.C)
            .allow(S.A, E.JUMP, S.D)
            .build();

    @Test
    void a_pair_not_in_the_table_is_rejected_naming_state_and_event() {
        assertThatThrownBy(() -> table.next(S.C, E.GO))
                .isInstanceOf(TransitionTable.InvalidTransitionException.class)
                .hasMessage("thing in state c cannot go")
                .extracting("code").isEqualTo("invalid_transition");
    }

    @Test
    void path_finds_the_shortest_legal_sequence_and_never_goes_backwards() {
        assertThat(table.path(S.A, S.C)).contains(List.of(E.GO, E.GO));
        assertThat(table.path(S.A, S.A)).contains(List.of());
        assertThat(table.path(S.C, S.A)).isEmpty();
        assertThat(table.path(S.D, S.C)).isEmpty();
    }

    @Test
    void a_duplicate_cell_is_a_programming_error() {
        assertThatThrownBy(() -> TransitionTable.of("x", S.class, E.class)
                .allow(S.A, E.GO, S.B).allow(S.A, E.GO, S.C))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void terminal_states_have_no_moves() {
        assertThat(table.isTerminal(S.C)).isTrue();
        assertThat(table.isTerminal(S.A)).isFalse();
    }
}
