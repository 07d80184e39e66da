package io.moneytrail.onec;

/**
 * A request of the exchange that cannot be carried out, with the reason 1C is told after
 * {@code failure} (a malformed or hostile file, an unknown mode, a file over the limit).
 * Nothing was changed.
 */
public class OnecFailure extends RuntimeException {

    public OnecFailure(String reason) {
        super(reason);
    }

    public OnecFailure(String reason, Throwable cause) {
        super(reason, cause);
    }
}
