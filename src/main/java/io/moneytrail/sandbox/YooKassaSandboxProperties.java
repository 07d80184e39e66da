package io.moneytrail.sandbox;

import java.math.BigDecimal;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sandbox's YooKassa dialect ({@code moneytrail.sandbox.yookassa.*}): the shop it plays,
 * with well-known local credentials that are no secret (as the sandbox's own
 * {@code sk_sandbox_local}), and the fee it keeps.
 *
 * @param shopId      the shop id clients authenticate with (HTTP Basic user)
 * @param secretKey   the shop's secret key (HTTP Basic password); YooKassa's test keys start {@code test_}
 * @param gatewayId   the sub-account shown in {@code recipient.gateway_id}
 * @param feePercent  YooKassa's fee on a captured payment, in percent of it (income_amount and the
 *                    registry's net are the amount less this fee, rounded half up to the minor unit)
 */
@ConfigurationProperties("moneytrail.sandbox.yookassa")
record YooKassaSandboxProperties(String shopId, String secretKey, String gatewayId, BigDecimal feePercent) {

    static final String DEFAULT_SHOP_ID = "100500";
    static final String DEFAULT_SECRET_KEY = "test_sandbox_yookassa_local";

    YooKassaSandboxProperties {
        shopId = blank(shopId) ? DEFAULT_SHOP_ID : shopId;
        secretKey = blank(secretKey) ? DEFAULT_SECRET_KEY : secretKey;
        gatewayId = blank(gatewayId) ? "100700" : gatewayId;
        feePercent = feePercent == null ? new BigDecimal("3.5") : feePercent;
        if (feePercent.signum() < 0 || feePercent.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException("moneytrail.sandbox.yookassa.fee-percent is 0..100, not " + feePercent);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    @Override
    public String toString() {
        return "YooKassaSandboxProperties[shopId=" + shopId + ", secretKey=(set), gatewayId=" + gatewayId
                + ", feePercent=" + feePercent + "]";
    }
}
