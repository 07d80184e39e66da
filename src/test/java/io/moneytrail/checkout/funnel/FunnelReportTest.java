package io.moneytrail.checkout.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.checkout.DeviceClass;
import io.moneytrail.checkout.FunnelEvents;
import io.moneytrail.checkout.FunnelRows;
import io.moneytrail.checkout.FunnelStep;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/reports/funnel} over journeys recorded through the checkout module's recorder
 * on days no other test uses: sessions reaching a step (not events), the path's closure (paid
 * has passed authorized, a decline happened at the provider), API-only orders counted from
 * payment_started, the cohort of a period (a journey belongs to the day it started), the
 * filters, and bad input answered 400 naming the parameter.
 */
class FunnelReportTest extends ApiTest {

    static final String DAY = "2003-04-10";
    private static boolean recorded;

    @Autowired
    FunnelEvents events;

    @BeforeEach
    void journeys() {
        synchronized (FunnelReportTest.class) {
            if (recorded) {
                return;
            }
            recorded = true;
        }
        // S1: pays at once through the sandbox, 31 s after the first view
        session("chk_ft1", DeviceClass.DESKTOP, "10:00:00", "viewed", null, null,
                "10:00:05", "provider_chosen", "sandbox", null,
                "10:00:06", "redirected", "sandbox", null,
                "10:00:30", "returned", "sandbox", null,
                "10:00:31", "paid", "sandbox", null);
        // S2: declined at Stripe, comes back, pays through the sandbox (two-stage), 120 s
        session("chk_ft2", DeviceClass.MOBILE, "11:00:00", "viewed", null, null,
                "11:00:05", "provider_chosen", "stripe", null,
                "11:00:06", "redirected", "stripe", null,
                "11:00:20", "declined", "stripe", "insufficient_funds",
                "11:00:21", "returned", "stripe", null,
                "11:01:00", "provider_chosen", "sandbox", null,
                "11:01:01", "redirected", "sandbox", null,
                "11:01:29", "returned", "sandbox", null,
                "11:01:30", "authorized", "sandbox", null,
                "11:02:00", "paid", "sandbox", null);
        // S3: looks and leaves
        session("chk_ft3", DeviceClass.DESKTOP, "12:00:00", "viewed", null, null,
                "12:30:00", "abandoned", null, null);
        // S4: fails 3-D Secure twice at the sandbox, then leaves
        session("chk_ft4", DeviceClass.MOBILE, "13:00:00", "viewed", null, null,
                "13:00:10", "provider_chosen", "sandbox", null,
                "13:00:11", "redirected", "sandbox", null,
                "13:00:40", "declined", "sandbox", "3ds_failed",
                "13:00:50", "declined", "sandbox", "3ds_failed",
                "13:31:00", "abandoned", null, null);
        // S5: goes to YooKassa and never comes back; the session expires
        session("chk_ft5", DeviceClass.TABLET, "14:00:00", "viewed", null, null,
                "14:00:10", "provider_chosen", "yookassa", null,
                "14:00:11", "redirected", "yookassa", null,
                "15:00:00", "expired", "yookassa", null);
        // A1, A2: orders paid through the API without a session; A1 pays after midnight (still this day's journey)
        api("ord_ft_a1", "23:59:50", "payment_started", "sandbox", null, "2003-04-11T00:00:10Z", "paid", "sandbox", null);
        api("ord_ft_a2", "16:00:00", "payment_started", "stripe", null, DAY + "T16:00:30Z", "declined", "stripe",
                "expired_card");
        // S6 started the day before (not this day's), S7 the day after
        FunnelRows.insert(events, "chk_ft6", "ord_ft6", null, DeviceClass.DESKTOP, FunnelStep.VIEWED, null,
                Instant.parse("2003-04-09T23:59:59Z"));
        FunnelRows.insert(events, "chk_ft6", "ord_ft6", "sandbox", DeviceClass.DESKTOP, FunnelStep.PAID, null,
                Instant.parse("2003-04-10T00:01:00Z"));
        FunnelRows.insert(events, "chk_ft7", "ord_ft7", null, DeviceClass.DESKTOP, FunnelStep.VIEWED, null,
                Instant.parse("2003-04-11T00:00:00Z"));
    }

    @Test
    void a_day_counts_the_journeys_that_started_on_it_step_by_step() {
        JsonNode report = api.get("/v1/reports/funnel?from=" + DAY + "&to=" + DAY).expect(200).body();
        assertThat(report.path("object").asText()).isEqualTo("funnel_report");
        assertThat(report.path("journeys").path("checkout_sessions").asLong()).isEqualTo(5);
        assertThat(report.path("journeys").path("api_orders").asLong()).isEqualTo(2);
        assertThat(counts(report)).containsExactly(
                Map.entry("viewed", 5L), Map.entry("provider_chosen", 6L), Map.entry("redirected", 6L),
                Map.entry("returned", 3L), Map.entry("authorized", 3L), Map.entry("paid", 3L),
                Map.entry("declined", 3L), Map.entry("abandoned", 2L), Map.entry("expired", 1L));
        JsonNode chosen = step(report, "provider_chosen");
        assertThat(chosen.path("checkout_sessions").asLong()).isEqualTo(4);
        assertThat(chosen.path("api_orders").asLong()).isEqualTo(2);
        assertThat(chosen.path("from").asText()).isEqualTo("viewed");
        assertThat(chosen.path("conversion").asDouble()).as("sessions only: 4 of 5 viewed").isEqualTo(0.8);
        assertThat(step(report, "viewed").path("conversion").isNull()).isTrue();
        assertThat(step(report, "redirected").path("conversion").asDouble()).isEqualTo(1.0);
        assertThat(step(report, "returned").path("conversion").asDouble()).isEqualTo(0.5);
        assertThat(step(report, "paid").path("conversion").asDouble()).isEqualTo(1.0);
        assertThat(step(report, "declined").path("from").asText()).isEqualTo("redirected");
        assertThat(step(report, "declined").path("conversion").asDouble()).isEqualTo(0.5);
        assertThat(step(report, "abandoned").path("conversion").asDouble()).isEqualTo(0.4);
        assertThat(step(report, "expired").path("conversion").asDouble()).isEqualTo(0.2);

        JsonNode reasons = report.path("decline_reasons");
        assertThat(reasons).hasSize(3);
        assertThat(reasons.get(0).path("reason").asText()).isEqualTo("three_ds_failed");
        assertThat(reasons.get(0).path("codes").get(0).path("provider").asText()).isEqualTo("sandbox");
        assertThat(reasons.get(0).path("codes").get(0).path("code").asText()).isEqualTo("3ds_failed");
        assertThat(reasons.get(0).path("declines").asLong()).isEqualTo(2);
        assertThat(reasons.get(0).path("journeys").asLong()).isEqualTo(1);
        assertThat(reasons.get(1).path("reason").asText()).isEqualTo("card_expired");
        assertThat(reasons.get(2).path("reason").asText()).isEqualTo("insufficient_funds");

        JsonNode time = report.path("time_to_paid");
        assertThat(time.path("sessions").asLong()).isEqualTo(2);
        assertThat(time.path("median_seconds").asDouble()).isEqualTo(31.0);
        assertThat(time.path("p90_seconds").asDouble()).isEqualTo(120.0);

        Map<String, Long> abandoned = new LinkedHashMap<>();
        report.path("abandoned_by_last_step").forEach(l -> abandoned.put(l.path("step").asText(),
                l.path("sessions").asLong()));
        assertThat(abandoned).containsEntry("viewed", 1L).containsEntry("declined", 1L)
                .containsEntry("provider_chosen", 0L).containsEntry("redirected", 0L);
        assertThat(abandoned.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
    }

    @Test
    void a_provider_keeps_the_journeys_that_used_it_and_their_steps_with_it() {
        JsonNode report = api.get("/v1/reports/funnel?from=" + DAY + "&to=" + DAY + "&provider=sandbox").expect(200)
                .body();
        assertThat(report.path("provider").asText()).isEqualTo("sandbox");
        assertThat(report.path("journeys").path("checkout_sessions").asLong()).isEqualTo(3);
        assertThat(report.path("journeys").path("api_orders").asLong()).isEqualTo(1);
        assertThat(counts(report)).containsExactly(
                Map.entry("viewed", 3L), Map.entry("provider_chosen", 4L), Map.entry("redirected", 4L),
                Map.entry("returned", 3L), Map.entry("authorized", 3L), Map.entry("paid", 3L),
                Map.entry("declined", 1L), Map.entry("abandoned", 1L), Map.entry("expired", 0L));
        assertThat(report.path("decline_reasons")).hasSize(1);

        JsonNode stripe = api.get("/v1/reports/funnel?from=" + DAY + "&to=" + DAY + "&provider=stripe").expect(200)
                .body();
        assertThat(counts(stripe)).containsEntry("declined", 2L).containsEntry("paid", 0L)
                .containsEntry("returned", 1L);
    }

    @Test
    void a_device_keeps_the_journeys_that_started_on_it() {
        JsonNode report = api.get("/v1/reports/funnel?from=" + DAY + "&to=" + DAY + "&device=mobile").expect(200)
                .body();
        assertThat(report.path("device").asText()).isEqualTo("mobile");
        assertThat(counts(report)).containsExactly(
                Map.entry("viewed", 2L), Map.entry("provider_chosen", 2L), Map.entry("redirected", 2L),
                Map.entry("returned", 1L), Map.entry("authorized", 1L), Map.entry("paid", 1L),
                Map.entry("declined", 2L), Map.entry("abandoned", 1L), Map.entry("expired", 0L));
    }

    @Test
    void a_session_never_viewed_is_not_a_step_of_the_funnel() {
        FunnelRows.insert(events, "chk_ft8", "ord_ft8", null, DeviceClass.UNKNOWN, FunnelStep.EXPIRED, null,
                Instant.parse("2003-04-12T10:00:00Z"));
        JsonNode report = api.get("/v1/reports/funnel?from=2003-04-12&to=2003-04-12").expect(200).body();
        assertThat(report.path("journeys").path("sessions_not_viewed").asLong()).isEqualTo(1);
        assertThat(report.path("journeys").path("checkout_sessions").asLong()).isZero();
        assertThat(step(report, "expired").path("count").asLong()).isZero();
    }

    @Test
    void a_period_of_several_days_adds_the_day_before_and_after() {
        JsonNode report = api.get("/v1/reports/funnel?from=2003-04-09&to=2003-04-11").expect(200).body();
        assertThat(report.path("journeys").path("checkout_sessions").asLong()).isEqualTo(7);
        assertThat(step(report, "paid").path("count").asLong()).isEqualTo(4);
        JsonNode empty = api.get("/v1/reports/funnel?from=1990-01-01&to=1990-01-01").expect(200).body();
        assertThat(step(empty, "viewed").path("count").asLong()).isZero();
        assertThat(step(empty, "provider_chosen").path("conversion").isNull()).isTrue();
        assertThat(empty.path("time_to_paid").path("median_seconds").isNull()).isTrue();
    }

    @Test
    void bad_input_is_a_400_naming_the_parameter() {
        refused("/v1/reports/funnel?to=" + DAY, "parameter_missing", "from");
        refused("/v1/reports/funnel?from=" + DAY, "parameter_missing", "to");
        refused("/v1/reports/funnel?from=2003-13-01&to=" + DAY, "parameter_invalid", "from");
        refused("/v1/reports/funnel?from=" + DAY + "&to=yesterday", "parameter_invalid", "to");
        refused("/v1/reports/funnel?from=2003-04-11&to=2003-04-10", "range_invalid", "from");
        refused("/v1/reports/funnel?from=2003-01-01&to=2004-01-02", "range_too_large", "to");
        refused("/v1/reports/funnel?from=" + DAY + "&to=" + DAY + "&provider=paypal", "parameter_invalid", "provider");
        refused("/v1/reports/funnel?from=" + DAY + "&to=" + DAY + "&device=phone", "parameter_invalid", "device");
        assertThat(api.get("/v1/reports/funnel?from=2003-01-01&to=2003-12-31").status()).as("366 days at most")
                .isEqualTo(200);
    }

    @Test
    void a_store_key_may_read_it_an_operator_key_may_not() {
        String store = api.post("/v1/api_keys", "{\"name\":\"funnel store\",\"role\":\"store\"}").expect(201)
                .text("secret");
        String operator = api.post("/v1/api_keys", "{\"name\":\"funnel operator\",\"role\":\"operator\"}").expect(201)
                .text("secret");
        String query = "/v1/reports/funnel?from=" + DAY + "&to=" + DAY;
        assertThat(new Api(api.base(), store).get(query).status()).isEqualTo(200);
        assertThat(new Api(api.base(), operator).get(query).status()).isEqualTo(403);
    }

    private void refused(String path, String code, String param) {
        Api.Response answer = api.get(path);
        assertThat(answer.status()).as(path + " " + answer.raw()).isEqualTo(400);
        assertThat(answer.errorCode()).as(path).isEqualTo(code);
        assertThat(answer.errorParam()).as(path).isEqualTo(param);
    }

    static Map<String, Long> counts(JsonNode report) {
        Map<String, Long> counts = new LinkedHashMap<>();
        report.path("steps").forEach(s -> counts.put(s.path("step").asText(), s.path("count").asLong()));
        return counts;
    }

    static JsonNode step(JsonNode report, String name) {
        for (JsonNode s : report.path("steps")) {
            if (s.path("step").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no step " + name);
    }

    /** A checkout session's events: time (HH:MM:SS on {@link #DAY}), step, provider, reason, repeated. */
    private void session(String session, DeviceClass device, String... steps) {
        for (int i = 0; i < steps.length; i += 4) {
            FunnelRows.insert(events, session, "ord_" + session.substring(4), steps[i + 2], device,
                    FunnelStep.valueOf(steps[i + 1].toUpperCase(java.util.Locale.ROOT)), steps[i + 3],
                    Instant.parse(DAY + "T" + steps[i] + "Z"));
        }
    }

    private void api(String order, String startedAt, String... steps) {
        FunnelRows.insert(events, null, order, steps[1], DeviceClass.UNKNOWN,
                FunnelStep.valueOf(steps[0].toUpperCase(java.util.Locale.ROOT)), steps[2],
                Instant.parse(DAY + "T" + startedAt + "Z"));
        FunnelRows.insert(events, null, order, steps[5], DeviceClass.UNKNOWN,
                FunnelStep.valueOf(steps[4].toUpperCase(java.util.Locale.ROOT)), steps[6], Instant.parse(steps[3]));
    }
}
