package io.moneytrail.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class OutboundSignatureTest {

    private static final String SECRET = "whsec_test";
    private static final byte[] BODY = "{\"id\":\"evt_1\",\"type\":\"order.paid\"}".getBytes(StandardCharsets.UTF_8);
    private static final long T = 1_800_000_000L;
    private static final Clock AT_T = Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC);
    private static final Duration TOLERANCE = OutboundSignature.TOLERANCE_DEFAULT;

    @Test
    void a_signature_verifies_with_the_same_secret_body_and_a_fresh_timestamp() {
        String header = OutboundSignature.header(BODY, SECRET, T);
        assertThat(header).matches("t=1800000000,v1=[0-9a-f]{64}");
        assertThat(OutboundSignature.verify(BODY, header, SECRET, AT_T, TOLERANCE)).isTrue();
    }

    @Test
    void the_signature_is_hmac_sha256_of_timestamp_dot_body() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((T + "." + new String(BODY, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        assertThat(OutboundSignature.header(BODY, SECRET, T))
                .isEqualTo("t=" + T + ",v1=" + java.util.HexFormat.of().formatHex(expected));
    }

    @Test
    void a_changed_body_another_secret_or_a_stale_timestamp_do_not_verify() {
        String header = OutboundSignature.header(BODY, SECRET, T);
        byte[] changed = "{\"id\":\"evt_1\",\"type\":\"order.refunded\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(OutboundSignature.verify(changed, header, SECRET, AT_T, TOLERANCE)).isFalse();
        assertThat(OutboundSignature.verify(BODY, header, "whsec_other", AT_T, TOLERANCE)).isFalse();
        Clock later = Clock.offset(AT_T, TOLERANCE.plusSeconds(1));
        assertThat(OutboundSignature.verify(BODY, header, SECRET, later, TOLERANCE)).isFalse();
        Clock earlier = Clock.offset(AT_T, TOLERANCE.plusSeconds(1).negated());
        assertThat(OutboundSignature.verify(BODY, header, SECRET, earlier, TOLERANCE)).isFalse();
        assertThat(OutboundSignature.verify(BODY, header, SECRET, Clock.offset(AT_T, TOLERANCE), TOLERANCE)).isTrue();
    }

    @Test
    void malformed_headers_do_not_verify_and_any_matching_v1_does() {
        String good = OutboundSignature.header(BODY, SECRET, T);
        String v1 = good.substring(good.indexOf("v1="));
        assertThat(OutboundSignature.verify(BODY, null, SECRET, AT_T, TOLERANCE)).isFalse();
        assertThat(OutboundSignature.verify(BODY, "", SECRET, AT_T, TOLERANCE)).isFalse();
        assertThat(OutboundSignature.verify(BODY, v1, SECRET, AT_T, TOLERANCE)).isFalse();
        assertThat(OutboundSignature.verify(BODY, "t=" + T, SECRET, AT_T, TOLERANCE)).isFalse();
        assertThat(OutboundSignature.verify(BODY, "t=soon," + v1, SECRET, AT_T, TOLERANCE)).isFalse();
        assertThat(OutboundSignature.verify(BODY, "t=" + T + ",v1=00," + v1, SECRET, AT_T, TOLERANCE)).isTrue();
        assertThat(OutboundSignature.verify(BODY, "t=" + T + ",v0=" + v1.substring(3), SECRET, AT_T, TOLERANCE))
                .isFalse();
    }
}
