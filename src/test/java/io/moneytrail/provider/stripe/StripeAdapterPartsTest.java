package io.moneytrail.provider.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.CardException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import io.moneytrail.money.Money;
import io.moneytrail.payment.ProviderResult;
import io.moneytrail.payment.WebhookRejectedException;
import io.moneytrail.provider.ProviderMisconfiguredException;
import io.moneytrail.sandbox.SandboxSignature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.env.MockEnvironment;

/** Amounts in Stripe's units, how calls fail, webhook verification and the all-or-none credentials. */
class StripeAdapterPartsTest {

    @Test
    void amounts_are_in_stripes_units_for_zero_and_three_decimal_currencies() {
        assertThat(StripeAmounts.toStripe(Money.of(1234, "EUR"))).hasValue(1234);
        assertThat(StripeAmounts.toStripe(Money.of(500, "JPY"))).as("zero-decimal: yen as they are").hasValue(500);
        assertThat(StripeAmounts.toStripe(Money.of(30000, "KRW"))).hasValue(30000);
        assertThat(StripeAmounts.toStripe(Money.of(5120, "KWD"))).as("three-decimal, last digit 0").hasValue(5120);
        assertThat(StripeAmounts.toStripe(Money.of(5124, "KWD"))).as("Stripe refuses a last digit").isEmpty();
        assertThat(StripeAmounts.toStripe(Money.of(12_300, "BHD"))).hasValue(12_300);
        assertThat(StripeAmounts.toStripe(Money.of(150_000, "MGA"))).as("whole ariary at Stripe").hasValue(1500);
        assertThat(StripeAmounts.toStripe(Money.of(150_050, "MGA"))).isEmpty();
        assertThat(StripeAmounts.fromStripe(1500, "mga")).isEqualTo(150_000);
        assertThat(StripeAmounts.fromStripe(5120, "kwd")).isEqualTo(5120);
        assertThat(StripeAmounts.currency(Money.of(1, "JPY"))).isEqualTo("jpy");
        assertThat(StripeAmounts.supports("IQD")).isFalse();
        assertThat(StripeAmounts.why(Money.of(5124, "KWD"))).contains("ten thousandths");
    }

    @Test
    void a_429_is_retried_with_backoff_then_unknown_and_other_failures_are_refusals_or_unknown() {
        StripeCalls calls = new StripeCalls(2, 1);
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> calls.run("capture", () -> {
            attempts.incrementAndGet();
            throw new RateLimitException("slow down", "req_1", "rate_limit", null, 429, null);
        })).isInstanceOfSatisfying(StripeCalls.Failure.class,
                f -> assertThat(f.result()).isInstanceOf(ProviderResult.Unknown.class));
        assertThat(attempts).hasValue(3);

        AtomicInteger once = new AtomicInteger();
        try {
            String answer = calls.run("fetch", () -> {
                if (once.getAndIncrement() == 0) {
                    throw new RateLimitException("slow down", "req_2", "rate_limit", null, 429, null);
                }
                return "ok";
            });
            assertThat(answer).isEqualTo("ok");
        } catch (StripeCalls.Failure f) {
            throw new AssertionError(f.result());
        }

        assertThat(StripeCalls.refusalOrUnknown("x", new ApiException("boom", "req", null, 500, null)))
                .isInstanceOf(ProviderResult.Unknown.class);
        assertThat(StripeCalls.refusalOrUnknown("x", new InvalidRequestException("busy", null, "req",
                "idempotency_key_in_use", 409, null))).as("a concurrent request with the key").isInstanceOf(ProviderResult.Unknown.class);
        assertThat(StripeCalls.refusalOrUnknown("x", new CardException("Your card was declined.", "req", "card_declined",
                null, "insufficient_funds", "ch_1", 402, null))).isInstanceOfSatisfying(ProviderResult.Rejected.class,
                r -> {
                    assertThat(r.code()).as("the decline code before the error code").isEqualTo("insufficient_funds");
                    assertThat(r.message()).startsWith("Your card was declined.");
                });
        assertThat(StripeCalls.refusalOrUnknown("x", new InvalidRequestException("No such payment_intent", "intent",
                "req", "resource_missing", 404, null))).isInstanceOfSatisfying(ProviderResult.Rejected.class,
                r -> assertThat(r.code()).isEqualTo("resource_missing"));
        assertThatThrownBy(() -> calls.run("x", () -> {
            throw new ApiConnectionException("Read timed out");
        })).isInstanceOfSatisfying(StripeCalls.Failure.class,
                f -> assertThat(f.result()).isInstanceOf(ProviderResult.Unknown.class));
    }

    @Test
    void a_webhook_is_verified_on_its_raw_bytes_within_300_seconds() throws IOException, WebhookRejectedException {
        String body = Files.readString(StripeStatusesTest.EXAMPLES.resolve("event-checkout-session-completed.json"));
        Instant now = Instant.ofEpochSecond(1_764_600_200L);
        StripeWebhooks webhooks = new StripeWebhooks("whsec_test", 300, Clock.fixed(now, ZoneOffset.UTC));
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);

        var hook = webhooks.verify(raw, SandboxSignature.header(raw, "whsec_test", now.getEpochSecond() - 299));
        assertThat(hook.eventId()).isEqualTo("evt_1QkTz3Hx8Lm4Ab0CwXy5Za6B");
        assertThat(hook.type()).isEqualTo("checkout.session.completed");
        assertThat(hook.providerPaymentId()).isEqualTo("cs_test_a1Xq7Lw0ZKd2bYf9Tn3Rm5Pc8Vh4Gs6Je1Ub0Ny7Oi2Wk5Ez");
        assertThat(hook.merchantReference()).isEqualTo("pay_01j9z8x7w6v5t4s3r2q1p0n9m9");

        assertThatThrownBy(() -> webhooks.verify(raw, SandboxSignature.header(raw, "whsec_test",
                now.getEpochSecond() - 301))).isInstanceOf(WebhookRejectedException.class);
        assertThatThrownBy(() -> webhooks.verify(raw, SandboxSignature.header(raw, "whsec_other",
                now.getEpochSecond()))).isInstanceOf(WebhookRejectedException.class);
        assertThatThrownBy(() -> webhooks.verify(raw, null)).isInstanceOf(WebhookRejectedException.class);
        String both = "t=" + now.getEpochSecond() + ",v1=" + "00".repeat(32) + ","
                + SandboxSignature.header(raw, "whsec_test", now.getEpochSecond()).split(",")[1];
        assertThat(webhooks.verify(raw, both).eventId()).as("any v1 may match (secret rolling)")
                .isEqualTo("evt_1QkTz3Hx8Lm4Ab0CwXy5Za6B");
    }

    @Test
    void stripe_is_on_with_both_credentials_off_with_none_and_refused_halfway() {
        OnStripeCredentials condition = new OnStripeCredentials();
        assertThat(io.moneytrail.provider.ProviderCredentials.condition(new StandardEnvironment(), "Stripe",
                OnStripeCredentials.PROPERTIES).isMatch()).isFalse();
        MockEnvironment both = new MockEnvironment().withProperty("moneytrail.stripe.secret-key", "sk_test_x")
                .withProperty("moneytrail.stripe.webhook-secret", "whsec_x");
        assertThat(io.moneytrail.provider.ProviderCredentials.condition(both, "Stripe", OnStripeCredentials.PROPERTIES)
                .isMatch()).isTrue();
        MockEnvironment half = new MockEnvironment().withProperty("moneytrail.stripe.secret-key", "sk_test_x");
        assertThatThrownBy(() -> io.moneytrail.provider.ProviderCredentials.condition(half, "Stripe",
                OnStripeCredentials.PROPERTIES)).isInstanceOf(ProviderMisconfiguredException.class)
                .hasMessageContaining("MONEYTRAIL_STRIPE_WEBHOOK_SECRET").hasMessageNotContaining("sk_test_x");
        assertThat(condition).isNotNull();
        assertThat(new StripeProperties("sk_live_secret", "whsec_secret", null, null, null, null, null, null)
                .toString()).doesNotContain("sk_live_secret").doesNotContain("whsec_secret");
    }
}
