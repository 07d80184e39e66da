package io.moneytrail.sandbox;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;

/**
 * The YooKassa dialect's addresses: its hosted page, shaped like YooKassa's
 * ({@code …/checkout/payments/v2/contract?orderId=<payment id>}) under the sandbox's public
 * base, and where its notifications go ({@code …/v1/webhooks/yookassa}).
 */
@Component
@ConditionalOnSandbox
class YooKassaSandboxUrls {

    static final String PREFIX = "/sandbox/yookassa";
    static final String CHECKOUT_PATH = "/checkout/payments/v2/contract";

    private final SandboxUrls urls;

    YooKassaSandboxUrls(SandboxUrls urls) {
        this.urls = urls;
    }

    String confirmationUrl(String paymentId) {
        return urls.publicBase() + "/" + YooKassaObjects.DIALECT + CHECKOUT_PATH + "?orderId="
                + URLEncoder.encode(paymentId, StandardCharsets.UTF_8);
    }

    String webhookUrl() {
        return urls.webhookUrl(YooKassaObjects.DIALECT);
    }
}
