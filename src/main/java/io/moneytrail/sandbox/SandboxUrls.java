package io.moneytrail.sandbox;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The sandbox's own addresses. Unless configured they point at this process, whose port is
 * only known once the web server has started (it may be a random one), so they are resolved
 * at use time, never at startup.
 */
@Component
@ConditionalOnSandbox
class SandboxUrls {

    private static final String DEFAULT_PORT = "8080";

    private final SandboxProperties properties;
    private final Environment environment;

    SandboxUrls(SandboxProperties properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
    }

    /** Where webhooks are posted. */
    String webhookUrl() {
        return properties.webhookUrl() != null ? properties.webhookUrl() : localBase() + "/v1/webhooks/sandbox";
    }

    /**
     * Where a dialect's notifications go: {@code moneytrail.sandbox.webhook-base-url} (for
     * instance {@code http://moneytrail:8080/v1/webhooks}) plus the dialect's name, or this
     * process's own {@code /v1/webhooks/<dialect>}.
     */
    String webhookUrl(String dialect) {
        String base = properties.webhookBaseUrl() != null ? properties.webhookBaseUrl() : localBase() + "/v1/webhooks";
        return base + "/" + dialect;
    }

    /** The sandbox's base URL as a customer's browser sees it ({@code …/sandbox}); dialect pages live under it. */
    String publicBase() {
        return properties.publicUrl() != null ? properties.publicUrl() : localBase() + "/sandbox";
    }

    /** The hosted payment page of one payment, as the customer's browser reaches it. */
    String confirmationUrl(String paymentId) {
        return publicBase() + "/pay/" + paymentId;
    }

    /** {@code local.server.port} is published by Spring Boot when the web server has started. */
    private String localBase() {
        String port = environment.getProperty("local.server.port",
                environment.getProperty("server.port", DEFAULT_PORT));
        return "http://localhost:" + port;
    }
}
