package io.moneytrail.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * T-Bank publishes no report Moneytrail imports; a T-Bank month is reconciled from the sandbox's
 * balance report of its T-Bank payments ({@code /sandbox/api/reports/tbank/balance_transactions},
 * the sandbox report format), through the real importer and matching engine: no discrepancy,
 * refunds included.
 */
class TBankMonthReconciliationTest extends ApiTest {

    private static final String EXPORT_HEADER =
            "order_id,created_at,status,currency,amount_total,amount_paid,amount_refunded,payment_reference\n";

    /** A RUB order paid through T-Bank and captured in full: order id, payment id, T-Bank's PaymentId. */
    private String[] paid(long amountMinor, String captureMethod) throws Exception {
        String order = api.post("/v1/orders", """
                {"currency":"RUB","reference":"TB-R","customer":{"email":"buyer@example.com"},
                 "lines":[{"sku":"SKU-1","name":"Thing","quantity":1,"unit_amount":%d,"vat_rate":22}]}"""
                .formatted(amountMinor)).expect(200).text("id");
        Api.Response payment = api.post("/v1/orders/" + order + "/payments", "{\"provider\":\"tbank\","
                + "\"capture_method\":\"" + captureMethod + "\",\"return_url\":\"https://shop.example/r\"}").expect(200);
        String id = payment.text("id");
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(payment.body().path("next_action").path("redirect_url").asString()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("outcome=succeeded")).build(), HttpResponse.BodyHandlers.discarding());
        if (captureMethod.equals("manual")) {
            api.eventually("/v1/payments/" + id, r -> "authorized".equals(r.text("status")));
            api.post("/v1/payments/" + id + "/capture", "{}").expect(200);
        }
        api.eventually("/v1/orders/" + order, r -> "paid".equals(r.text("payment_status")));
        return new String[] {order, id, payment.text("provider_payment_id")};
    }

    /** The report's header and the rows of these payments only (the shared database holds others'). */
    private String report(List<String[]> orders) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String csv = api.sandbox("GET", "/reports/tbank/balance_transactions?from=" + today.minusDays(1) + "&to="
                + today.plusDays(1), null).expect(200).raw();
        String[] lines = csv.split("\n");
        return lines[0] + "\n" + Arrays.stream(lines).skip(1)
                .filter(line -> orders.stream().anyMatch(o -> line.contains("," + o[2] + ",")))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private String export(List<String[]> orders) {
        StringBuilder csv = new StringBuilder(EXPORT_HEADER);
        for (String[] o : orders) {
            Api.Response order = api.get("/v1/orders/" + o[0]).expect(200);
            csv.append(o[0]).append(',').append(Instant.now()).append(',').append(order.text("payment_status"))
                    .append(",RUB,").append(major(order.number("amount_total"))).append(',')
                    .append(major(order.number("amount_captured"))).append(',')
                    .append(major(order.number("amount_refunded"))).append(',').append(o[2]).append('\n');
        }
        return csv.toString();
    }

    private static String major(long minor) {
        return java.math.BigDecimal.valueOf(minor, 2).toPlainString();
    }

    @Test
    void a_tbank_month_with_refunds_reconciles_against_the_sandbox_report_of_its_tbank_payments(@TempDir Path dir)
            throws Exception {
        String[] refunded = paid(200_000, "manual");
        api.post("/v1/refunds", "{\"payment\":\"" + refunded[1] + "\",\"amount\":30000}").expect(200);
        api.post("/v1/refunds", "{\"payment\":\"" + refunded[1] + "\",\"amount\":20000}").expect(200);
        api.eventually("/v1/orders/" + refunded[0], r -> r.number("amount_refunded") == 50_000);
        List<String[]> orders = List.of(refunded, paid(80_000, "automatic"), paid(1_250, "automatic"));
        String rows = report(orders);
        assertThat(rows.split("\n")).as("header, 3 charges, 2 refunds").hasSize(6);
        Path report = Files.writeString(dir.resolve("tbank-month.csv"), rows);
        Path export = Files.writeString(dir.resolve("orders.csv"), export(orders));

        AuditOutcome outcome = Audit.run(AuditRequest.of(export, report, null), MatchSink.NONE, Progress.NONE);
        assertThat(outcome.providerFormat()).isEqualTo(ProviderFormat.SANDBOX);
        assertThat(outcome.problemsTotal()).isZero();
        assertThat(outcome.result().discrepancies()).isEmpty();
        assertThat(outcome.result().counts()).containsEntry("orders_clean", 3L);
    }

    @Test
    void the_tbank_report_holds_only_tbank_payments() throws IOException {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String csv = api.sandbox("GET", "/reports/tbank/balance_transactions?from=" + today.minusDays(1) + "&to="
                + today.plusDays(1), null).expect(200).raw();
        assertThat(csv).startsWith("id,type,payment_id,order_reference,amount,fee,net,currency,created_at,payout_id\n")
                .doesNotContain("sbxpay_");
        assertThat(api.sandbox("GET", "/reports/tbank/balance_transactions?from=x&to=y", null).status()).isEqualTo(400);
    }
}
