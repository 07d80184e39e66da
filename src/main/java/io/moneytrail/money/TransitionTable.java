package io.moneytrail.money;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A state machine as data: (state, event) -> next state. A pair that is not in the table is
 * rejected with {@link InvalidTransitionException}. Tables are built once and are immutable.
 */
public final class TransitionTable<S extends Enum<S>, E extends Enum<E>> {

    private final String machine;
    private final Class<S> stateType;
    private final Class<E> eventType;
    private final Map<S, Map<E, S>> moves;

    private TransitionTable(String machine, Class<S> stateType, Class<E> eventType, Map<S, Map<E, S>> moves) {
        this.machine = machine;
        this.stateType = stateType;
        this.eventType = eventType;
        this.moves = moves;
    }

    public static <S extends Enum<S>, E extends Enum<E>> Builder<S, E> of(String machine, Class<S> states,
                                                                         Class<E> events) {
        return new Builder<>(machine, states, events);
    }

    /** The machine's name, as in error messages ("payment in state voided cannot capture"). */
    public String machine() {
        return machine;
    }

    public Class<S> stateType() {
        return stateType;
    }

    public Class<E> eventType() {
        return eventType;
    }

    /** The state after {@code event}, or an {@link InvalidTransitionException} naming both. */
    public S next(S from, E event) {
        return find(from, event).orElseThrow(() -> new InvalidTransitionException(machine, from, event));
    }

    public Optional<S> find(S from, E event) {
        return Optional.ofNullable(moves.getOrDefault(from, Map.of()).get(event));
    }

    public boolean allows(S from, E event) {
        return find(from, event).isPresent();
    }

    /** All (event -> next) pairs leaving {@code from}; empty for a terminal state. */
    public Map<E, S> movesFrom(S from) {
        return moves.getOrDefault(from, Map.of());
    }

    public boolean isTerminal(S state) {
        return movesFrom(state).isEmpty();
    }

    /**
     * The shortest sequence of events leading from one state to another, each a legal move;
     * empty when {@code from == to}; absent when {@code to} cannot be reached (it would move
     * the machine backwards). Used to catch up with a provider's state after missed events.
     */
    public Optional<List<E>> path(S from, S to) {
        if (from == to) {
            return Optional.of(List.of());
        }
        Map<S, E> viaEvent = new EnumMap<>(stateType);
        Map<S, S> previous = new EnumMap<>(stateType);
        Deque<S> queue = new ArrayDeque<>();
        queue.add(from);
        previous.put(from, from);
        while (!queue.isEmpty()) {
            S state = queue.poll();
            for (Map.Entry<E, S> move : movesFrom(state).entrySet()) {
                S next = move.getValue();
                if (previous.containsKey(next)) {
                    continue;
                }
                previous.put(next, state);
                viaEvent.put(next, move.getKey());
                if (next == to) {
                    List<E> events = new ArrayList<>();
                    for (S at = to; at != from; at = previous.get(at)) {
                        events.add(viaEvent.get(at));
                    }
                    Collections.reverse(events);
                    return Optional.of(List.copyOf(events));
                }
                queue.add(next);
            }
        }
        return Optional.empty();
    }

    public static final class Builder<S extends Enum<S>, E extends Enum<E>> {
        private final String machine;
        private final Class<S> states;
        private final Class<E> events;
        private final Map<S, Map<E, S>> moves;

        private Builder(String machine, Class<S> states, Class<E> events) {
            this.machine = machine;
            this.states = states;
            this.events = events;
            this.moves = new EnumMap<>(states);
        }

        public Builder<S, E> allow(S from, E event, S to) {
            S previous = moves.computeIfAbsent(from, s -> new EnumMap<>(events)).put(event, to);
            Check.that(previous == null, machine + ": duplicate cell " + from + " x " + event);
            return this;
        }

        public TransitionTable<S, E> build() {
            Map<S, Map<E, S>> frozen = new EnumMap<>(states);
            moves.forEach((state, row) -> frozen.put(state, Collections.unmodifiableMap(new EnumMap<>(row))));
            return new TransitionTable<>(machine, states, events, Collections.unmodifiableMap(frozen));
        }
    }

    /** A (state, event) pair that is not in the table. */
    public static final class InvalidTransitionException extends MoneytrailException {
        public InvalidTransitionException(String machine, Enum<?> from, Enum<?> event) {
            super(ErrorType.STATE, 409, "invalid_transition", null,
                    machine + " in state " + wire(from) + " cannot " + wire(event));
        }

        private static String wire(Enum<?> value) {
            return value.name().toLowerCase();
        }
    }
}
