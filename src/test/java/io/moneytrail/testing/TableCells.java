package io.moneytrail.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.money.TransitionTable;
import java.util.HashMap;
import java.util.Map;

/**
 * Walks every (state, event) cell of a transition table against an independently written
 * list of allowed moves ("from event -> to" lines): allowed moves land where expected, every
 * other pair is rejected with the named error.
 */
public final class TableCells {

    private TableCells() {
    }

    public static <S extends Enum<S>, E extends Enum<E>> int verify(TransitionTable<S, E> table, Class<S> states,
                                                                    Class<E> events, String expectedMoves) {
        Map<String, String> expected = new HashMap<>();
        for (String line : expectedMoves.strip().split("\n")) {
            String[] parts = line.trim().split("\\s+");
            assertThat(parts).as("line '%s' is 'from event -> to'", line).hasSize(4);
            expected.put(parts[0] + " " + parts[1], parts[3]);
        }
        int cells = 0;
        for (S from : states.getEnumConstants()) {
            for (E event : events.getEnumConstants()) {
                cells++;
                String to = expected.remove(from.name().toLowerCase() + " " + event.name().toLowerCase());
                if (to != null) {
                    assertThat(table.next(from, event).name().toLowerCase()).as("%s x %s", from, event).isEqualTo(to);
                } else {
                    assertThatThrownBy(() -> table.next(from, event)).as("%s x %s must be rejected", from, event)
                            .isInstanceOf(TransitionTable.InvalidTransitionException.class)
                            .hasMessageContaining("in state " + from.name().toLowerCase())
                            .hasMessageContaining("cannot " + event.name().toLowerCase());
                }
            }
        }
        assertThat(expected).as("expected moves that name no real cell").isEmpty();
        return cells;
    }
}
