package io.moneytrail.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop on one machine: a payment and a refund through Moneytrail and the sandbox,
 * the sandbox's balance report, and the file-only audit of the store's export against it.
 */
class SandboxLoopTest extends ApiTest {

    @Test
    void the_sandbox_report_lists_captures_and_refunds_and_the_audit_reconciles_them(@TempDir Path dir) throws IOException {
        String order = api.createOrder(1250, 2).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        String paymentId = payment.text("id");
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/payments/" + paymentId, r -> "captured".equals(r.text("status")));
        api.post("/v1/refunds", "{\"payment\":\"" + paymentId + "\",\"amount\":400}", "loop-refund-" + paymentId).expect(200);
        api.eventually("/v1/orders/" + order, r -> "partially_refunded".equals(r.text("payment_status")));
        String sandboxPaymentId = api.sandbox("GET", "/payments?merchant_reference=" + paymentId, null)
                .body().path("data").get(0).path("id").asText();

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Api.Response report = api.sandbox("GET", "/reports/balance_transactions?from=" + today + "&to="
                + today.plusDays(1), null).expect(200);
        String ours = Arrays.stream(report.raw().split("\n")).filter(l -> l.contains(sandboxPaymentId))
                .collect(Collectors.joining("\n"));
        assertThat(report.raw()).startsWith("id,type,payment_id,order_reference,amount,fee,net,currency,created_at,payout_id\n");
        assertThat(ours).contains(",charge," + sandboxPaymentId + "," + paymentId + ",25.00,0.00,25.00,EUR,")
                .contains(",refund," + sandboxPaymentId + "," + paymentId + ",-4.00,0.00,-4.00,EUR,")
                .contains(",spo_" + today.toString().replace("-", "") + "_EUR");

        Path reportFile = dir.resolve("sandbox-report.csv");
        Files.writeString(reportFile, "id,type,payment_id,order_reference,amount,fee,net,currency,created_at,payout_id\n"
                + ours + "\n");
        Path orders = dir.resolve("orders.csv");
        Files.writeString(orders, "order_id,created_at,status,currency,amount_total,amount_paid,amount_refunded,payment_reference\n"
                + order + "," + Instant.now() + ",partially_refunded,EUR,25.00,25.00,4.00," + sandboxPaymentId + "\n");
        AuditOutcome outcome = Audit.run(AuditRequest.of(orders, reportFile, null), MatchSink.NONE, Progress.NONE);
        assertThat(outcome.providerFormat()).isEqualTo(ProviderFormat.SANDBOX);
        assertThat(outcome.problemsTotal()).isZero();
        assertThat(outcome.result().discrepancies()).isEmpty();
        assertThat(outcome.result().counts()).containsEntry("orders_clean", 1L);
    }

    @Test
    void the_sandbox_report_refuses_a_window_it_cannot_serve() {
        assertThat(api.sandbox("GET", "/reports/balance_transactions?from=2026-05-01", null).status()).isEqualTo(400);
        Api.Response tooLong = api.sandbox("GET", "/reports/balance_transactions?from=2026-01-01&to=2026-06-01", null);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.raw()).contains("at most 92 days");
    }
}
