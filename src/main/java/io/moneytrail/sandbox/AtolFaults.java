package io.moneytrail.sandbox;

import io.moneytrail.sandbox.FaultProfile.ApiFault;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What the ATOL dialect does wrong on purpose, set like the sandbox's other faults: one global
 * profile in memory (a restart resets it) and profiles per document, keyed by the
 * {@code external_id} the store will send (so a fault can be set before the receipt exists), which
 * win over the global one. A profile says how documents settle ({@code outcome} {@code done} or
 * {@code fail} with ATOL's {@code error_type} and {@code error_code}), how long they stay
 * {@code wait} ({@code wait_ms}: a long wait), and what happens to the registration call itself
 * ({@code api}: {@code timeout} does the work and holds the answer, {@code error_500} refuses
 * with ATOL's error 50). Without an ATOL profile the sandbox's global API fault applies to
 * registrations, as to every dialect's state-changing calls.
 */
@Component
@ConditionalOnSandbox
class AtolFaults {

    static final long WAIT_MS_MAX = 86_400_000L; // a day: past the 24 h a token lives

    /**
     * @param outcome   {@code done} or {@code fail}; null: done, unless the cash register itself refuses
     * @param waitMs    how long documents stay {@code wait}; null: the configured processing time
     * @param api       the fault around the registration call; null: the sandbox's global API fault
     */
    record Profile(String outcome, String errorType, Integer errorCode, String errorText, Long waitMs,
                   ApiFault api, Long apiTimeoutMs) {

        static final Profile NORMAL = new Profile(null, null, null, null, null, null, null);

        static Profile parse(SandboxJson.Body body) {
            String outcome = body.string("outcome", 8);
            if (outcome != null && !outcome.equals("done") && !outcome.equals("fail")) {
                throw SandboxException.badRequest("parameter_invalid", "outcome must be done or fail");
            }
            String type = body.string("error_type", 16);
            Long code = body.integer("error_code");
            String text = body.string("error_text", 500);
            if ((type != null || code != null || text != null) && !"fail".equals(outcome)) {
                throw SandboxException.badRequest("parameter_invalid", "error_type, error_code and error_text need outcome fail");
            }
            if ("fail".equals(outcome)) {
                if (type == null && code == null) {
                    type = "timeout";
                    code = 1L;
                } else if (type == null || code == null) {
                    throw SandboxException.badRequest("parameter_invalid", "give error_type and error_code together");
                }
                String key = type + ":" + code;
                if (text == null && !AtolWire.FAILURES.containsKey(key)) {
                    throw SandboxException.badRequest("parameter_invalid", "no documented ATOL error " + key
                            + " (give error_text, or one of " + AtolWire.FAILURES.keySet() + ")");
                }
                if (!java.util.Set.of("system", "timeout", "agent", "driver", "unknown").contains(type)) {
                    throw SandboxException.badRequest("parameter_invalid",
                            "error_type must be system, timeout, agent, driver or unknown");
                }
            }
            Long waitMs = body.integer("wait_ms");
            if (waitMs != null && (waitMs < 0 || waitMs > WAIT_MS_MAX)) {
                throw SandboxException.badRequest("parameter_invalid", "wait_ms must be between 0 and " + WAIT_MS_MAX);
            }
            String api = body.string("api", 20);
            ApiFault apiFault = api == null ? null : ApiFault.parse(api);
            Long apiTimeoutMs = body.integer("api_timeout_ms");
            if (apiTimeoutMs != null && (apiTimeoutMs < 0 || apiTimeoutMs > FaultProfile.MAX_API_TIMEOUT_MS)) {
                throw SandboxException.badRequest("parameter_invalid",
                        "api_timeout_ms must be between 0 and " + FaultProfile.MAX_API_TIMEOUT_MS);
            }
            return new Profile(outcome, type, code == null ? null : code.intValue(), text, waitMs, apiFault,
                    apiTimeoutMs);
        }

        Map<String, Object> toJson(String externalId) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("external_id", externalId);
            json.put("outcome", outcome == null ? "done" : outcome);
            json.put("error_type", errorType);
            json.put("error_code", errorCode);
            json.put("error_text", errorText == null && errorType != null
                    ? AtolWire.FAILURES.get(errorType + ":" + errorCode) : errorText);
            json.put("wait_ms", waitMs);
            json.put("api", api == null ? null : api.name().toLowerCase(Locale.ROOT));
            json.put("api_timeout_ms", apiTimeoutMs);
            return json;
        }
    }

    private final SandboxStore store;
    private final SandboxFaults sandboxFaults;
    private volatile Profile global = Profile.NORMAL;

    AtolFaults(SandboxStore store, SandboxFaults sandboxFaults) {
        this.store = store;
        this.sandboxFaults = sandboxFaults;
    }

    /** The profile for {@code externalId}: its own, else the global one. */
    Profile forDocument(String externalId) {
        return own(externalId).orElse(global);
    }

    Optional<Profile> own(String externalId) {
        if (externalId == null) {
            return Optional.empty();
        }
        return store.jdbc().sql("select profile from sbx_atol_faults where external_id = :id")
                .param("id", externalId).query(String.class).optional()
                .map(json -> Profile.parse(SandboxJson.body(json.getBytes(StandardCharsets.UTF_8))));
    }

    Profile global() {
        return global;
    }

    /** The API fault around registering {@code externalId}: the ATOL profile's, else the sandbox's global one. */
    FaultProfile apiFault(String externalId) {
        Profile profile = forDocument(externalId);
        FaultProfile sandbox = sandboxFaults.global();
        if (profile.api() == null) {
            return sandbox;
        }
        return new FaultProfile(FaultProfile.WebhookFault.NORMAL, sandbox.delayMs(), profile.api(),
                profile.apiTimeoutMs() == null ? sandbox.apiTimeoutMs() : profile.apiTimeoutMs());
    }

    /** Sets the global profile ({@code externalId} null) or one document's; null resets it. */
    void set(String externalId, Profile profile, Instant now) {
        if (externalId == null) {
            global = profile == null ? Profile.NORMAL : profile;
            return;
        }
        if (profile == null) {
            store.jdbc().sql("delete from sbx_atol_faults where external_id = :id").param("id", externalId).update();
            return;
        }
        store.jdbc().sql("""
                insert into sbx_atol_faults (external_id, profile, updated_at) values (:id, :profile, :now)
                on conflict (external_id) do update set profile = excluded.profile, updated_at = excluded.updated_at""")
                .param("id", externalId)
                .param("profile", SandboxJson.string(raw(profile)))
                .param("now", java.sql.Timestamp.from(now))
                .update();
    }

    /** The stored form: what {@link Profile#parse} reads back. */
    private static Map<String, Object> raw(Profile profile) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("outcome", profile.outcome());
        json.put("error_type", profile.errorType());
        json.put("error_code", profile.errorCode());
        json.put("error_text", profile.errorText());
        json.put("wait_ms", profile.waitMs());
        json.put("api", profile.api() == null ? null : profile.api().name().toLowerCase(Locale.ROOT));
        json.put("api_timeout_ms", profile.apiTimeoutMs());
        return json;
    }
}
