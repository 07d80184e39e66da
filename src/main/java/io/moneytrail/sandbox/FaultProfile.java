package io.moneytrail.sandbox;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the sandbox does wrong on purpose: to its webhooks and to its API answers.
 *
 * @param delayMs      how long {@code delay} holds a webhook, and how long {@code reorder}
 *                     waits for a later event before giving up and sending anyway
 * @param apiTimeoutMs how long {@code timeout} holds an API answer after doing the work
 */
record FaultProfile(WebhookFault webhook, long delayMs, ApiFault api, long apiTimeoutMs) {

    static final long DEFAULT_DELAY_MS = 2_000;
    /** Bounds keep a typo from parking a webhook or a request thread for days. */
    static final long MAX_DELAY_MS = 600_000;
    static final long MAX_API_TIMEOUT_MS = 300_000;

    static FaultProfile normal(long apiTimeoutMs) {
        return new FaultProfile(WebhookFault.NORMAL, DEFAULT_DELAY_MS, ApiFault.NORMAL, apiTimeoutMs);
    }

    boolean isNormal() {
        return webhook == WebhookFault.NORMAL && api == ApiFault.NORMAL;
    }

    /** Reads a profile from a request (or from storage); absent fields take their defaults. */
    static FaultProfile parse(SandboxJson.Body body, long defaultApiTimeoutMs) {
        WebhookFault webhook = WebhookFault.parse(body.string("webhook", 20));
        ApiFault api = ApiFault.parse(body.string("api", 20));
        Long delayMs = body.integer("delay_ms");
        Long apiTimeoutMs = body.integer("api_timeout_ms");
        return new FaultProfile(webhook, bounded("delay_ms", delayMs, DEFAULT_DELAY_MS, MAX_DELAY_MS), api,
                bounded("api_timeout_ms", apiTimeoutMs, defaultApiTimeoutMs, MAX_API_TIMEOUT_MS));
    }

    private static long bounded(String field, Long value, long defaultValue, long max) {
        if (value == null) {
            return defaultValue;
        }
        if (value < 0 || value > max) {
            throw SandboxException.badRequest("parameter_invalid", field + " must be between 0 and " + max);
        }
        return value;
    }

    /** The wire form, also the stored form; {@code payment} is null for the global profile. */
    Map<String, Object> toJson(String payment) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("payment", payment);
        json.put("webhook", webhook.wire());
        json.put("delay_ms", delayMs);
        json.put("api", api.wire());
        json.put("api_timeout_ms", apiTimeoutMs);
        return json;
    }

    enum WebhookFault {
        /** Deliver once, now. */
        NORMAL,
        /** Never deliver; the event is marked dropped. */
        DROP,
        /** Deliver twice, concurrently. */
        DUPLICATE,
        /** Deliver after {@code delay_ms}. */
        DELAY,
        /** Deliver right after the payment's next event (or after {@code delay_ms} if none comes). */
        REORDER;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static WebhookFault parse(String wire) {
            return wire == null ? NORMAL : parseEnum(values(), "webhook", wire);
        }
    }

    enum ApiFault {
        /** Answer normally. */
        NORMAL,
        /** Do the work, then hold the answer for {@code api_timeout_ms}: the client gives up first. */
        TIMEOUT,
        /** Do nothing and answer 500. */
        ERROR_500;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static ApiFault parse(String wire) {
            return wire == null ? NORMAL : parseEnum(values(), "api", wire);
        }
    }

    private static <E extends Enum<E>> E parseEnum(E[] values, String field, String wire) {
        for (E value : values) {
            if (value.name().toLowerCase(Locale.ROOT).equals(wire)) {
                return value;
            }
        }
        throw SandboxException.badRequest("parameter_invalid", field + " must be one of "
                + Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList());
    }
}
