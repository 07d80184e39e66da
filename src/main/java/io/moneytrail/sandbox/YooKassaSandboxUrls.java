package io.moneytrail.sandbox;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The YooKassa dialect's addresses: its hosted page, shaped like YooKassa's
 * ({@code …/checkout/payments/v2/contract?orderId=<payment id>}) under {@code /sandbox/yookassa},
 * and where its notifications go. Resolved at use time (the port is known only after start).
 */
@Component
@ConditionalOnSandbox
class YooKassaSandboxUrls {

    static final String PREFIX = "/sandbox/yookassa";
    static final String CHECKOUT_PATH = "/checkout/payments/v2/contract";

    private final SandboxProperties sandbox;
    private final YooKassaSandboxProperties properties;
    private final Environment environment;

    YooKassaSandboxUrls(SandboxProperties sandbox, YooKassaSandboxProperties properties, Environment environment) {
        this.sandbox = sandbox;
        this.properties = properties;
        this.environment = environment;
    }

    String confirmationUrl(String paymentId) {
        String base = sandbox.publicUrl() != null ? sandbox.publicUrl() : localBase() + "/sandbox";
        return base + "/yookassa" + CHECKOUT_PATH + "?orderId=" + URLEncoder.encode(paymentId, StandardCharsets.UTF_8);
    }

    String webhookUrl() {
        return properties.webhookUrl() != null ? properties.webhookUrl() : localBase() + "/v1/webhooks/yookassa";
    }

    private String localBase() {
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return "http://localhost:" + port;
    }
}
