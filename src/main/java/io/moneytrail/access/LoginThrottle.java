package io.moneytrail.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Bounds password guessing at {@code /admin/login}: at most {@code failures-per-user} failed
 * logins for one user name and {@code failures-per-address} from one address within the window;
 * past either, logins for that name (or from that address) are refused without checking the
 * password until the window has moved on. A success clears the user name's failures. Counts are
 * kept in memory per instance (bounded; a full table is cleared rather than grown).
 */
@Component
class LoginThrottle {

    static final int KEYS_MAX = 10_000;

    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration window;
    private final int failuresPerUserMax;
    private final int failuresPerAddressMax;

    LoginThrottle(Clock clock,
                  @Value("${moneytrail.backoffice.login-window:15m}") Duration window,
                  @Value("${moneytrail.backoffice.login-failures-per-user:5}") int failuresPerUserMax,
                  @Value("${moneytrail.backoffice.login-failures-per-address:20}") int failuresPerAddressMax) {
        this.clock = clock;
        this.window = window;
        this.failuresPerUserMax = failuresPerUserMax;
        this.failuresPerAddressMax = failuresPerAddressMax;
    }

    /** Whether a login for {@code username} from {@code address} may be tried now. */
    boolean allowed(String username, String address) {
        return recent(userKey(username)) < failuresPerUserMax && recent(addressKey(address)) < failuresPerAddressMax;
    }

    void failed(String username, String address) {
        if (failures.size() >= KEYS_MAX) {
            failures.clear();
        }
        Instant now = clock.instant();
        for (String key : new String[] {userKey(username), addressKey(address)}) {
            Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (times) {
                times.addLast(now);
                while (times.size() > Math.max(failuresPerUserMax, failuresPerAddressMax)) {
                    times.removeFirst();
                }
            }
        }
    }

    void succeeded(String username) {
        failures.remove(userKey(username));
    }

    private int recent(String key) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        Instant since = clock.instant().minus(window);
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst().isBefore(since)) {
                times.removeFirst();
            }
            return times.size();
        }
    }

    private static String userKey(String username) {
        return "user:" + (username == null ? "" : username.strip().toLowerCase(Locale.ROOT));
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
