package io.moneytrail.access;

import java.util.Optional;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The actor of the current request, as authentication established it. Outside a request (a
 * background job, a CLI command) there is none, and callers name the system actor themselves.
 */
public final class Actors {

    /** The request attribute authentication sets. */
    public static final String REQUEST_ATTRIBUTE = Actor.class.getName();

    private Actors() {
    }

    public static Optional<Actor> current() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes == null) {
            return Optional.empty();
        }
        Object actor = attributes.getAttribute(REQUEST_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        return actor instanceof Actor a ? Optional.of(a) : Optional.empty();
    }

    /** The current request's actor, or the system acting as {@code job}. */
    public static Actor currentOr(String job) {
        return current().orElseGet(() -> Actor.system(job));
    }
}
