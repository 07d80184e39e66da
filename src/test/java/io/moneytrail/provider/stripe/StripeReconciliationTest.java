package io.moneytrail.provider.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.payment.PaymentFacts;
import io.moneytrail.reconciliation.Audit;
import io.moneytrail.reconciliation.AuditOutcome;
import io.moneytrail.reconciliation.AuditRequest;
import io.moneytrail.reconciliation.MatchSink;
import io.moneytrail.reconciliation.Progress;
import io.moneytrail.reconciliation.ProviderFormat;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The Stripe dialect's balance-change report goes through the real importer
 * ({@code StripeBalanceChangeImporter}) and the reconciliation engine against the store's order
 * export with no discrepancy: automatic and manual captures, two partial refunds of one payment,
 * a won dispute (withdrawn and reinstated), and a declined payment that never charged.
 */
class StripeReconciliationTest extends ApiTest {

    @Test
    void a_stretch_of_stripe_business_reconciles_through_the_real_importer_with_no_discrepancy(@TempDir Path dir)
            throws IOException {
        StripeDialectClient stripe = new StripeDialectClient(api);
        List<String> orders = new ArrayList<>();
        List<String> intents = new ArrayList<>();

        Api.Response automatic = start(2599, "automatic", orders);
        stripe.pay(redirect(automatic), "succeeded");
        intents.add(waitFor(automatic, "captured").text("provider_payment_id"));

        Api.Response manual = start(10000, "manual", orders);
        stripe.pay(redirect(manual), "3ds_succeeded");
        intents.add(waitFor(manual, "authorized").text("provider_payment_id"));
        api.post("/v1/payments/" + manual.text("id") + "/capture", "{}").expect(200);
        api.post("/v1/refunds", "{\"payment\":\"" + manual.text("id") + "\",\"amount\":1500}").expect(200);
        api.post("/v1/refunds", "{\"payment\":\"" + manual.text("id") + "\",\"amount\":2500}").expect(200);

        Api.Response disputed = start(4100, "automatic", orders);
        stripe.pay(redirect(disputed), "succeeded");
        String disputedIntent = waitFor(disputed, "captured").text("provider_payment_id");
        intents.add(disputedIntent);
        String dispute = stripe.post("/sandbox/stripe/test/disputes", "payment_intent=" + disputedIntent).text("id");
        stripe.post("/sandbox/stripe/test/disputes/" + dispute + "/close", "status=won");

        Api.Response declined = start(700, "automatic", orders);
        stripe.pay(redirect(declined), "declined");

        api.eventually("/v1/payments/" + manual.text("id"), r -> r.number("amount_refunded") == 4000);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Api.Response report = api.sandbox("GET", "/reports/stripe/balance_change_from_activity?from=" + today
                + "&to=" + today.plusDays(1), null).expect(200);
        String[] lines = report.raw().split("\n");
        String ours = Arrays.stream(lines).skip(1).filter(l -> intents.stream().anyMatch(l::contains))
                .collect(Collectors.joining("\n"));
        assertThat(ours).contains(",charge,").contains(",refund,").contains(",dispute,").contains(",dispute_reversal,");
        Path reportFile = dir.resolve("balance_change_from_activity.csv");
        Files.writeString(reportFile, lines[0] + "\n" + ours + "\n");

        StringBuilder export = new StringBuilder(
                "order_id,created_at,status,currency,amount_total,amount_paid,amount_refunded,payment_reference\n");
        for (int i = 0; i < orders.size(); i++) {
            Api.Response order = api.get("/v1/orders/" + orders.get(i));
            String reference = i < intents.size() ? intents.get(i) : "";
            export.append(orders.get(i)).append(',').append(Instant.ofEpochSecond(order.number("created")))
                    .append(',').append(status(order.text("payment_status"))).append(",EUR,")
                    .append(major(order.number("amount_total"))).append(',')
                    .append(major(order.number("amount_captured"))).append(',')
                    .append(major(order.number("amount_refunded"))).append(',').append(reference).append('\n');
        }
        Path ordersFile = dir.resolve("orders.csv");
        Files.writeString(ordersFile, export);

        AuditOutcome outcome = Audit.run(AuditRequest.of(ordersFile, reportFile, null), MatchSink.NONE,
                Progress.NONE);
        assertThat(outcome.providerFormat()).isEqualTo(ProviderFormat.STRIPE);
        assertThat(outcome.problemsTotal()).isZero();
        assertThat(outcome.result().discrepancies()).isEmpty();
        assertThat(outcome.result().counts()).containsEntry("orders_matched", 3L);
    }

    @Autowired
    PaymentFacts paymentFacts;

    /**
     * Every open dispute was "chargeback_not_recorded" although Moneytrail records the chargeback
     * itself. A database-backed run over a Stripe order whose dispute was lost (and recorded) finds
     * nothing for it; a dispute row for an order that records none, or a recorded chargeback the
     * report does not show, is still found, naming both amounts.
     */
    @Test
    void a_lost_dispute_moneytrail_recorded_is_no_discrepancy_in_a_database_run_and_an_unrecorded_one_is() {
        StripeDialectClient stripe = new StripeDialectClient(api);
        List<String> orders = new ArrayList<>();
        Api.Response lost = start(4100, "automatic", orders);
        stripe.pay(redirect(lost), "succeeded");
        String lostIntent = waitFor(lost, "captured").text("provider_payment_id");
        Api.Response plain = start(2300, "automatic", orders);
        stripe.pay(redirect(plain), "succeeded");
        String plainIntent = waitFor(plain, "captured").text("provider_payment_id");
        String dispute = stripe.post("/sandbox/stripe/test/disputes", "payment_intent=" + lostIntent).text("id");
        assertThat(stripe.post("/sandbox/stripe/test/disputes/" + dispute + "/close", "status=lost").status())
                .isEqualTo(200);
        api.eventually("/v1/payments/" + lost.text("id"), r -> facts(lost.text("id"), "chargeback") == 1);
        assertThat(facts(lost.text("id"), "chargeback_reversal")).isZero();
        assertThat(api.get("/v1/orders/" + orders.get(0)).text("payment_status")).as("a lost dispute leaves it paid")
                .isEqualTo("paid");

        // the read model hands the chargeback on, by id and in the period's stream (one statement each)
        assertThat(paymentFacts.ofOrders(orders).get(orders.get(0)).amountChargedBack()).isEqualTo(4100);
        assertThat(paymentFacts.ofOrders(orders).get(orders.get(1)).amountChargedBack()).isZero();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, Long> streamed = new HashMap<>();
        paymentFacts.createdBetween(today.atStartOfDay(ZoneOffset.UTC).toInstant(),
                today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), money -> {
                    if (orders.contains(money.orderId())) {
                        streamed.put(money.orderId(), money.amountChargedBack());
                    }
                });
        assertThat(streamed).containsEntry(orders.get(0), 4100L).containsEntry(orders.get(1), 0L);

        String report = api.sandbox("GET", "/reports/stripe/balance_change_from_activity?from=" + today + "&to="
                + today.plusDays(1), null).expect(200).raw();
        List<String> lines = Arrays.asList(report.split("\n"));
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        int category = header.indexOf("reporting_category");
        int source = header.indexOf("source_id");
        int transaction = header.indexOf("balance_transaction_id");
        int chargeId = header.indexOf("charge_id");
        int intent = header.indexOf("payment_intent_id");
        int orderId = header.indexOf("payment_metadata[order_id]");
        int paymentId = header.indexOf("payment_metadata[payment_id]");
        String disputeLine = lines.stream().filter(l -> l.contains(lostIntent) && l.contains(",dispute,")).findFirst()
                .orElseThrow();
        assertThat(lines).noneMatch(l -> l.contains(lostIntent) && l.contains(",dispute_reversal,"));
        String plainCharge = lines.stream().filter(l -> l.contains(plainIntent) && l.contains(",charge,")).findFirst()
                .orElseThrow().split(",", -1)[chargeId];

        String clean = run(report, "stripe-lost-dispute.csv");
        assertThat(classesFound(clean, orders.get(0))).as("the recorded chargeback explains the dispute").isEmpty();
        assertThat(classesFound(clean, orders.get(1))).isEmpty();

        // the same dispute at Stripe for an order that records no chargeback
        String[] copy = disputeLine.split(",", -1);
        copy[transaction] = copy[transaction] + "copy";
        copy[source] = copy[source] + "copy";
        copy[chargeId] = plainCharge;
        copy[intent] = plainIntent;
        copy[orderId] = orders.get(1);
        if (paymentId >= 0) {
            copy[paymentId] = plain.text("id");
        }
        assertThat(copy[category]).isEqualTo("dispute");
        String notRecorded = run(report.stripTrailing() + "\n" + String.join(",", copy) + "\n",
                "stripe-unrecorded-dispute.csv");
        assertThat(classesFound(notRecorded, orders.get(0))).isEmpty();
        assertThat(classesFound(notRecorded, orders.get(1))).containsExactly("chargeback_not_recorded");
        Map<String, Object> found = evidence(notRecorded, orders.get(1));
        assertThat(found.get("ours")).isEqualTo(0L);
        assertThat(found.get("theirs")).isEqualTo(4100L);
        assertThat((String) found.get("explanation")).contains(copy[source]).contains("does not show it");

        // the recorded chargeback with the dispute missing from the report: the order records more than Stripe took
        String withoutDispute = lines.stream().filter(l -> !l.equals(disputeLine))
                .collect(Collectors.joining("\n", "", "\n"));
        String recordedOnly = run(withoutDispute, "stripe-without-dispute.csv");
        assertThat(classesFound(recordedOnly, orders.get(0))).containsExactly("chargeback_not_recorded");
        Map<String, Object> more = evidence(recordedOnly, orders.get(0));
        assertThat(more.get("ours")).isEqualTo(4100L);
        assertThat(more.get("theirs")).isEqualTo(0L);
        assertThat((String) more.get("explanation")).contains("records 41.00 EUR")
                .contains("records more than the provider took");
    }

    private long facts(String paymentId, String kind) {
        return jdbc.sql("select count(*) from payment_transactions where payment_id = :p and kind = :k")
                .param("p", paymentId).param("k", kind).query(Long.class).single();
    }

    /** Uploads the report as a Stripe file and runs today's database-backed reconciliation on it; the run's id. */
    private String run(String report, String name) {
        Api.Response file = api.send(api.request("/v1/reconciliation/files?kind=provider&format=stripe&name=" + name)
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(report)).build())
                .expect(200);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Api.Response run = api.post("/v1/reconciliation/runs", "{\"from\":\"" + today + "\",\"to\":\"" + today
                + "\",\"provider_file\":\"" + file.text("id") + "\"}").expect(200);
        assertThat(run.text("status")).isEqualTo("succeeded");
        return run.text("id");
    }

    private List<String> classesFound(String runId, String order) {
        return jdbc.sql("select class from recon_run_discrepancies where run_id = :run and order_id = :order order by seq")
                .param("run", runId).param("order", order).query(String.class).list();
    }

    private Map<String, Object> evidence(String runId, String order) {
        return jdbc.sql("""
                        select cast(evidence ->> 'ours' as bigint) as ours, cast(evidence ->> 'theirs' as bigint) as theirs,
                               evidence ->> 'explanation' as explanation
                        from recon_run_discrepancies where run_id = :run and order_id = :order""")
                .param("run", runId).param("order", order).query().singleRow();
    }

    private Api.Response start(long amount, String captureMethod, List<String> orders) {
        String order = api.createOrder(amount, 1).text("id");
        orders.add(order);
        return api.post("/v1/orders/" + order + "/payments", "{\"provider\":\"stripe\",\"capture_method\":\""
                + captureMethod + "\",\"return_url\":\"https://shop.example/return\"}").expect(200);
    }

    private Api.Response waitFor(Api.Response payment, String status) {
        return api.eventually("/v1/payments/" + payment.text("id"), r -> status.equals(r.text("status")));
    }

    private static String redirect(Api.Response payment) {
        return payment.body().path("next_action").path("redirect_url").asText();
    }

    private static String status(String paymentStatus) {
        return "unpaid".equals(paymentStatus) ? "pending" : paymentStatus;
    }

    private static String major(long minor) {
        return BigDecimal.valueOf(minor, 2).toPlainString();
    }
}
