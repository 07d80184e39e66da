package io.moneytrail.provider.stripe;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
