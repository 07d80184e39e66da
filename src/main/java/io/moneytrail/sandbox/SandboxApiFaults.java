package io.moneytrail.sandbox;

import io.moneytrail.sandbox.FaultProfile.ApiFault;
import java.util.function.Supplier;
import org.springframework.http.ResponseEntity;

/**
 * The API faults around a state-changing call, the same for the sandbox's own API and every
 * dialect: {@code error_500} refuses before anything happens; {@code timeout} lets the call
 * happen and then holds the answer back, so a client with a shorter read timeout sees a
 * timeout for an operation that did occur. Holding the request thread is the honest imitation
 * of a slow provider, and it is bounded by {@link FaultProfile#MAX_API_TIMEOUT_MS}.
 */
final class SandboxApiFaults {

    private SandboxApiFaults() {
    }

    /** A dialect renders {@link SandboxException#injected()} as its provider's 5xx. */
    static <T> ResponseEntity<T> around(FaultProfile profile, Supplier<ResponseEntity<T>> call) {
        if (profile.api() == ApiFault.ERROR_500) {
            throw SandboxException.injected();
        }
        try {
            return call.get();
        } finally {
            if (profile.api() == ApiFault.TIMEOUT) {
                sleep(profile.apiTimeoutMs());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down: answer now
        }
    }
}
