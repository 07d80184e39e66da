package io.moneytrail.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * The fault profiles in force: one global profile, kept in memory (it is test scaffolding,
 * and a restart resetting it to normal is what one wants), and optional per-payment
 * profiles, stored with the payment. A payment's own profile wins over the global one.
 */
@Component
@ConditionalOnSandbox
class SandboxFaults {

    private final SandboxStore store;
    private final long defaultApiTimeoutMs;
    private volatile FaultProfile global;

    SandboxFaults(SandboxStore store, SandboxProperties properties) {
        this.store = store;
        this.defaultApiTimeoutMs = properties.apiTimeoutMs();
        this.global = normal();
    }

    FaultProfile normal() {
        return FaultProfile.normal(defaultApiTimeoutMs);
    }

    FaultProfile global() {
        return global;
    }

    void resetGlobal() {
        global = normal();
    }

    /** The profile for calls and events about {@code paymentId}: its own, else the global one. */
    FaultProfile forPayment(String paymentId) {
        if (paymentId == null) {
            return global;
        }
        return store.findPayment(paymentId)
                .map(SandboxPayment::faults)
                .map(this::parseStored)
                .orElse(global);
    }

    /** A payment's own profile, or null if it follows the global one. */
    FaultProfile ownProfile(SandboxPayment payment) {
        return payment.faults() == null ? null : parseStored(payment.faults());
    }

    /**
     * Sets the global profile ({@code paymentId} null) or one payment's; a null profile
     * makes the payment follow the global one again.
     */
    void set(String paymentId, FaultProfile profile, Instant now) {
        if (paymentId == null) {
            global = profile == null ? normal() : profile;
            return;
        }
        String json = profile == null ? null : SandboxJson.string(profile.toJson(paymentId));
        if (!store.updateFaults(paymentId, json, now)) {
            throw SandboxException.notFound("payment", paymentId);
        }
    }

    private FaultProfile parseStored(String json) {
        return FaultProfile.parse(SandboxJson.body(json.getBytes(StandardCharsets.UTF_8)), defaultApiTimeoutMs);
    }
}
