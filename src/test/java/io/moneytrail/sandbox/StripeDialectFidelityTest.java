package io.moneytrail.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.RefundCollection;
import com.stripe.model.StripeObject;
import com.stripe.model.checkout.Session;
import com.stripe.model.reporting.ReportRun;
import com.stripe.net.ApiResource;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Stripe dialect's answers, field by field against the documented examples in
 * {@code provider-examples/stripe/}: every field the dialect writes is one the example has, with
 * the same JSON type, and the fields the adapter reads are there; and stripe-java reads every
 * answer and every event the dialect stored (events carry stripe-java's API version, so the SDK
 * gives the typed object).
 */
class StripeDialectFidelityTest extends ApiTest {

    static final Path EXAMPLES = Path.of("src/test/resources/provider-examples/stripe");
    static final String KEY = "sk_test_moneytrail_sandbox";
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** The documented example each kind of object is compared with. */
    static final Map<String, String> EXAMPLE_OF = Map.of("checkout.session", "checkout-session.json",
            "payment_intent", "payment-intent-requires-capture.json", "charge", "charge.json", "refund", "refund.json",
            "dispute", "dispute.json");

    @Autowired
    SandboxStore store;
    @Autowired
    StripeSessions sessions;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Answer(int status, String raw, JsonNode json) {
    }

    Answer call(String method, String path, String form, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, form == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(form));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().startsWith("{") ? JSON.readTree(response.body()) : null;
            return new Answer(response.statusCode(), response.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer get(String path) {
        return call("GET", path, null, KEY);
    }

    static JsonNode example(String file) {
        try {
            return JSON.readTree(Files.readString(EXAMPLES.resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every field of {@code answer} is in the documented example with the same JSON type (where
     * both are not null), recursively into objects; the {@code required} fields are in both.
     */
    static void sameShape(String what, JsonNode answer, JsonNode example, Set<String> required) {
        for (String field : required) {
            assertThat(answer.has(field)).as(what + " has " + field).isTrue();
            assertThat(example.has(field)).as("the example of " + what + " has " + field).isTrue();
        }
        Iterator<Map.Entry<String, JsonNode>> fields = answer.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            assertThat(example.has(name)).as(what + "." + name + " is a field of the documented example").isTrue();
            JsonNode ours = field.getValue();
            JsonNode theirs = example.get(name);
            if (ours.isNull() || theirs.isNull()) {
                continue;
            }
            assertThat(ours.getNodeType()).as(what + "." + name + " has the documented type")
                    .isEqualTo(theirs.getNodeType());
            if (ours.isObject() && !name.equals("metadata")) {
                sameShape(what + "." + name, ours, theirs, Set.of());
            }
        }
    }

    @Test
    void the_dialects_objects_have_the_documented_fields_and_types_and_stripe_java_reads_them() {
        String order = api.createOrder(4200, 1).text("id");
        Api.Response payment = api.post("/v1/orders/" + order + "/payments",
                "{\"provider\":\"stripe\",\"capture_method\":\"manual\",\"return_url\":\"https://shop.example/return\"}")
                .expect(200);
        String url = payment.body().path("next_action").path("redirect_url").asText();
        String sessionId = url.substring(url.lastIndexOf('/') + 1);
        Answer open = get("/sandbox/stripe/v1/checkout/sessions/" + sessionId);
        assertThat(open.status()).isEqualTo(200);
        sameShape("checkout.session", open.json(), example("checkout-session.json"),
                Set.of("id", "object", "amount_total", "currency", "metadata", "mode", "payment_intent",
                        "payment_status", "status", "url", "client_reference_id", "success_url", "cancel_url"));
        assertThat(open.json().path("status").asText()).isEqualTo("open");
        assertThat(open.json().path("payment_status").asText()).isEqualTo("unpaid");
        assertThat(open.json().path("metadata").path("payment_id").asText()).isEqualTo(payment.text("id"));
        assertThat(ApiResource.GSON.fromJson(open.raw(), Session.class).getUrl()).isEqualTo(url);

        call("POST", url.substring(api.base().length()), "outcome=declined", null);
        String intentId = get("/sandbox/stripe/v1/checkout/sessions/" + sessionId).json().path("payment_intent")
                .asText();
        Answer declined = get("/sandbox/stripe/v1/payment_intents/" + intentId);
        sameShape("payment_intent", declined.json(), example("payment-intent-declined.json"),
                Set.of("id", "status", "last_payment_error", "metadata", "amount", "currency"));
        sameShape("last_payment_error", declined.json().path("last_payment_error"),
                example("payment-intent-declined.json").path("last_payment_error"),
                Set.of("code", "decline_code", "message", "type"));
        PaymentIntent declinedIntent = ApiResource.GSON.fromJson(declined.raw(), PaymentIntent.class);
        assertThat(declinedIntent.getLastPaymentError().getDeclineCode()).isEqualTo("generic_decline");

        call("POST", url.substring(api.base().length()), "outcome=succeeded", null);
        api.eventually("/v1/payments/" + payment.text("id"), r -> "authorized".equals(r.text("status")));
        Answer authorized = get("/sandbox/stripe/v1/payment_intents/" + intentId);
        sameShape("payment_intent", authorized.json(), example("payment-intent-requires-capture.json"),
                Set.of("id", "object", "amount", "amount_capturable", "amount_received", "capture_method",
                        "cancellation_reason", "currency", "last_payment_error", "latest_charge", "metadata", "status"));
        assertThat(authorized.json().path("status").asText()).isEqualTo("requires_capture");
        assertThat(ApiResource.GSON.fromJson(authorized.raw(), PaymentIntent.class).getAmountCapturable())
                .isEqualTo(4200L);

        api.post("/v1/payments/" + payment.text("id") + "/capture", "{\"amount\":2500}").expect(200);
        api.post("/v1/refunds", "{\"payment\":\"" + payment.text("id") + "\",\"amount\":1000}").expect(200);
        Answer charge = get("/sandbox/stripe/v1/charges/" + authorized.json().path("latest_charge").asText());
        sameShape("charge", charge.json(), example("charge.json"),
                Set.of("id", "amount", "amount_captured", "captured", "disputed", "payment_intent", "status"));
        Charge parsedCharge = ApiResource.GSON.fromJson(charge.raw(), Charge.class);
        assertThat(parsedCharge.getAmountCaptured()).isEqualTo(2500L);
        assertThat(parsedCharge.getAmountRefunded()).as("the released 17.00 and the refunded 10.00").isEqualTo(2700L);

        Answer refunds = get("/sandbox/stripe/v1/refunds?payment_intent=" + intentId + "&limit=100");
        sameShape("list", refunds.json(), example("list-refunds.json"), Set.of("object", "data", "has_more", "url"));
        JsonNode refund = refunds.json().path("data").get(0);
        sameShape("refund", refund, example("refund.json"),
                Set.of("id", "amount", "metadata", "payment_intent", "status", "created"));
        assertThat(ApiResource.GSON.fromJson(refunds.raw(), RefundCollection.class).getData()).hasSize(1);
        assertThat(ApiResource.GSON.fromJson(get("/sandbox/stripe/v1/refunds/" + refund.path("id").asText()).raw(),
                Refund.class).getStatus()).isEqualTo("succeeded");

        Answer dispute = call("POST", "/sandbox/stripe/test/disputes", "payment_intent=" + intentId + "&amount=2500",
                KEY);
        sameShape("dispute", dispute.json(), example("dispute.json"),
                Set.of("id", "amount", "charge", "payment_intent", "status", "created", "reason"));
        assertThat(ApiResource.GSON.fromJson(dispute.raw(), Dispute.class).getStatus()).isEqualTo("needs_response");

        // every event the dialect stored: Stripe's envelope, our release train, an object stripe-java reads
        List<String> types = new ArrayList<>();
        for (SandboxPayment.Event stored : store.eventsOf(intentId, 100)) {
            types.add(stored.type());
            JsonNode event = JSON.readTree(stored.payload());
            JsonNode envelope = ((tools.jackson.databind.node.ObjectNode) event.deepCopy()).remove(List.of("data"));
            sameShape("event", envelope, example("event-checkout-session-completed.json"),
                    Set.of("id", "object", "api_version", "created", "livemode", "type"));
            assertThat(event.path("api_version").asText()).isEqualTo(com.stripe.Stripe.API_VERSION);
            JsonNode object = event.path("data").path("object");
            sameShape(stored.type() + " data.object", object, example(EXAMPLE_OF.get(object.path("object").asText())),
                    Set.of("id", "object"));
            Event parsed = ApiResource.GSON.fromJson(stored.payload(), Event.class);
            StripeObject typed = parsed.getDataObjectDeserializer().getObject().orElseThrow(
                    () -> new AssertionError("stripe-java cannot read the object of " + stored.type()));
            assertThat(typed).isNotNull();
        }
        assertThat(types).contains("payment_intent.payment_failed", "payment_intent.amount_capturable_updated",
                "checkout.session.completed", "payment_intent.succeeded", "charge.refunded", "refund.updated",
                "charge.dispute.created");
    }

    @Test
    void errors_have_stripes_shape_and_status() {
        Answer missing = get("/sandbox/stripe/v1/payment_intents/pi_doesnotexist");
        assertThat(missing.status()).isEqualTo(404);
        sameShape("error", missing.json().path("error"), example("error-resource-missing.json").path("error"),
                Set.of("code", "message", "type"));
        assertThat(missing.json().path("error").path("code").asText()).isEqualTo("resource_missing");

        Answer unauthenticated = call("GET", "/sandbox/stripe/v1/payment_intents/pi_x", null, "sk_test_wrong_key_1234");
        assertThat(unauthenticated.status()).isEqualTo(401);
        sameShape("error", unauthenticated.json().path("error"), example("error-invalid-api-key.json").path("error"),
                Set.of("message", "type"));
        assertThat(unauthenticated.raw()).doesNotContain("sk_test_wrong_key_1234");
        assertThat(call("GET", "/sandbox/stripe/v1/payment_intents/pi_x", null, null).status()).isEqualTo(401);

        String form = "mode=payment&line_items[0][quantity]=1&line_items[0][price_data][currency]=eur"
                + "&line_items[0][price_data][unit_amount]=700&success_url=https://shop.example/r";
        Answer first = idempotent(form, "fidelity-" + System.nanoTime());
        assertThat(first.status()).isEqualTo(200);
        String key = "fidelity-key-" + System.nanoTime();
        Answer created = idempotent(form, key);
        Answer replayed = idempotent(form, key);
        assertThat(replayed.json().path("id").asText()).as("the same key answers the same session")
                .isEqualTo(created.json().path("id").asText());
        Answer changed = idempotent(form.replace("700", "701"), key);
        assertThat(changed.status()).isEqualTo(400);
        assertThat(changed.json().path("error").path("type").asText()).isEqualTo("idempotency_error");
    }

    private Answer idempotent(String form, String key) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/sandbox/stripe/v1/checkout/sessions"))
                .header("Authorization", "Bearer " + KEY).header("Idempotency-Key", key)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_report_run_is_stripes_object_and_its_file_has_the_documented_columns() throws IOException {
        long start = java.time.Instant.now().minusSeconds(3600).getEpochSecond();
        long end = start + 7200;
        Answer run = call("POST", "/sandbox/stripe/v1/reporting/report_runs",
                "report_type=balance_change_from_activity.itemized.3&parameters[interval_start]=" + start
                        + "&parameters[interval_end]=" + end + "&parameters[columns][0]=balance_transaction_id"
                        + "&parameters[columns][1]=created_utc&parameters[columns][2]=currency"
                        + "&parameters[columns][3]=gross&parameters[columns][4]=fee&parameters[columns][5]=net"
                        + "&parameters[columns][6]=reporting_category&parameters[columns][7]=source_id"
                        + "&parameters[columns][8]=payment_intent_id", KEY);
        assertThat(run.status()).isEqualTo(200);
        sameShape("reporting.report_run", run.json(), example("report-run.json"),
                Set.of("id", "object", "parameters", "report_type", "result", "status"));
        ReportRun parsed = ApiResource.GSON.fromJson(run.raw(), ReportRun.class);
        assertThat(parsed.getStatus()).isEqualTo("succeeded");
        Answer file = get(parsed.getResult().getUrl().substring(api.base().length()));
        assertThat(file.status()).isEqualTo(200);
        String header = file.raw().lines().findFirst().orElseThrow();
        assertThat(header).isEqualTo("balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category,"
                + "source_id,payment_intent_id");
        String documented = Files.readString(EXAMPLES.resolve("balance_change_from_activity.itemized.csv")).lines()
                .findFirst().orElseThrow();
        for (String column : StripeReports.COLUMNS) {
            if (!List.of("payment_method_type", "card_brand", "payment_metadata[payment_id]").contains(column)) {
                assertThat(documented.split(",")).as("documented column").contains(column);
            }
        }
    }

    @Test
    void a_session_past_its_expiry_is_expired_as_stripe_does_and_the_payment_follows() {
        String order = api.createOrder(1300, 1).text("id");
        Api.Response payment = api.post("/v1/orders/" + order + "/payments",
                "{\"provider\":\"stripe\",\"capture_method\":\"automatic\",\"return_url\":\"https://shop.example/r\"}")
                .expect(200);
        String url = payment.body().path("next_action").path("redirect_url").asText();
        String intentId = StripeData.intentOf(url.substring(url.lastIndexOf('/') + 1));
        SandboxPayment stored = store.findPayment(intentId).orElseThrow();
        StripeData data = StripeData.parse(stored.dialectData());
        StripeData overdue = new StripeData(data.sessionStatus(), data.successUrl(), data.cancelUrl(),
                data.clientReferenceId(), data.productName(), data.sessionMetadata(), data.intentMetadata(),
                data.created(), data.created() - 1, null, null, null, null, null);
        store.jdbc().sql("update sbx_payments set dialect_data = :d where id = :id").param("d", overdue.json())
                .param("id", intentId).update();
        assertThat(sessions.overdue(java.time.Instant.now().getEpochSecond(), 1000)).contains(intentId);

        sessions.expireOverdue();
        assertThat(get("/sandbox/stripe/v1/checkout/sessions/" + StripeData.sessionId(intentId)).json().path("status")
                .asText()).isEqualTo("expired");
        api.eventually("/v1/payments/" + payment.text("id"), r -> "expired".equals(r.text("status")));
        assertThat(store.eventsOf(intentId, 10)).extracting(SandboxPayment.Event::type)
                .containsExactly("checkout.session.expired");
    }
}
