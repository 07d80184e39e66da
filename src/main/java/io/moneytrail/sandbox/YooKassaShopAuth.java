package io.moneytrail.sandbox;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.springframework.stereotype.Component;

/** HTTP Basic with the dialect's shop id and secret key, as YooKassa authenticates a shop; compared in constant time. */
@Component
@ConditionalOnSandbox
class YooKassaShopAuth {

    private final byte[] expected;

    YooKassaShopAuth(YooKassaSandboxProperties properties) {
        this.expected = ("Basic " + Base64.getEncoder().encodeToString(
                (properties.shopId() + ":" + properties.secretKey()).getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** @throws YooKassaError 401 {@code invalid_credentials} unless the request carries the shop's credentials */
    void check(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
            throw YooKassaError.credentials();
        }
    }
}
