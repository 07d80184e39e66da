package io.moneytrail.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.reconciliation.importer.YooKassaRegistryImporter;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stretch of YooKassa business through Moneytrail and the sandbox's YooKassa dialect,
 * reconciled from the registries the dialect writes, through the real
 * {@link YooKassaRegistryImporter} and matching engine: no discrepancy.
 */
class YooKassaRegistryLoopTest extends ApiTest {

    private static final String EXPORT_HEADER =
            "order_id,created_at,status,currency,amount_total,amount_paid,amount_refunded,payment_reference\n";

    /** A RUB order paid through YooKassa and captured in full: order id, payment id, YooKassa's id. */
    private String[] paid(long amountMinor, String captureMethod) {
        String order = api.post("/v1/orders", """
                {"currency":"RUB","reference":"YK-R","customer":{"email":"buyer@example.com"},
                 "lines":[{"sku":"SKU-1","name":"Thing","quantity":1,"unit_amount":%d,"vat_rate":22}]}"""
                .formatted(amountMinor)).expect(200).text("id");
        Api.Response payment = api.post("/v1/orders/" + order + "/payments", "{\"provider\":\"yookassa\","
                + "\"capture_method\":\"" + captureMethod + "\",\"return_url\":\"https://shop.example/r\"}").expect(200);
        String id = payment.text("id");
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        if (captureMethod.equals("manual")) {
            api.eventually("/v1/payments/" + id, r -> "authorized".equals(r.text("status")));
            api.post("/v1/payments/" + id + "/capture", "{\"amount\":" + amountMinor + "}").expect(200);
        }
        api.eventually("/v1/orders/" + order, r -> "paid".equals(r.text("payment_status")));
        return new String[] {order, id, payment.text("provider_payment_id")};
    }

    /** The registry's header and the rows of these payments only (the shared database holds others'). */
    private String registry(String kind, List<String[]> orders) {
        LocalDate today = LocalDate.now(ZoneId.of("Europe/Moscow"));
        String csv = api.sandbox("GET", "/reports/yookassa/registry?from=" + today.minusDays(1) + "&to="
                + today.plusDays(1) + "&kind=" + kind, null).expect(200).raw();
        String[] lines = csv.split("\n");
        return lines[0] + "\n" + Arrays.stream(lines).skip(1)
                .filter(line -> orders.stream().anyMatch(o -> line.contains(o[2])))
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
    void payments_captured_through_yookassa_reconcile_against_its_payment_registry(@TempDir Path dir)
            throws IOException {
        List<String[]> orders = List.of(paid(150_000, "automatic"), paid(99_000, "manual"), paid(1_250, "automatic"));
        String registry = registry("payments", orders);
        assertThat(registry.split("\n")).hasSize(4);
        Path report = Files.writeString(dir.resolve("yookassa-payments.csv"), registry);
        Path export = Files.writeString(dir.resolve("orders.csv"), export(orders));

        AuditOutcome outcome = Audit.run(AuditRequest.of(export, report, null), MatchSink.NONE, Progress.NONE);
        assertThat(outcome.providerFormat()).isEqualTo(ProviderFormat.YOOKASSA);
        assertThat(outcome.problemsTotal()).isZero();
        assertThat(outcome.result().discrepancies()).isEmpty();
        assertThat(outcome.result().counts()).containsEntry("orders_clean", 3L);
        // YooKassa's 3.5 % is in the registry as the difference between amount and net
        assertThat(outcome.result().totals().get("provider").get("RUB").get("fees")).isEqualTo(5_250L + 3_465L + 44L);
    }

    /** With refunds, YooKassa's refunds are in its refund registry: the run reads both registries. */
    @Test
    void refunds_reconcile_when_the_refund_registry_is_read_with_the_payment_registry(@TempDir Path dir)
            throws IOException {
        String[] refunded = refundedTwice();
        List<String[]> orders = List.of(refunded, paid(80_000, "automatic"));
        Path payments = Files.writeString(dir.resolve("payments.csv"), registry("payments", orders));
        Path refunds = Files.writeString(dir.resolve("refunds.csv"), registry("refunds", orders));
        assertThat(Files.readAllLines(refunds)).hasSize(3);
        Path export = Files.writeString(dir.resolve("orders.csv"), export(orders));

        AuditOutcome alone = Audit.run(AuditRequest.of(export, payments, null), MatchSink.NONE, Progress.NONE);
        assertThat(alone.result().discrepancies()).extracting(d -> d.kind())
                .containsExactly(DiscrepancyClass.REFUND_RECORDED_NOT_AT_PROVIDER);

        AuditOutcome both = Audit.run(AuditRequest.of(export, payments, null).withMoreProviderReports(List.of(refunds)),
                MatchSink.NONE, Progress.NONE);
        assertThat(both.imports()).hasSize(3);
        assertThat(both.problemsTotal()).isZero();
        assertThat(both.result().discrepancies()).isEmpty();
        assertThat(both.result().counts()).containsEntry("orders_clean", 2L);
    }

    @Test
    void a_run_reads_reports_of_one_provider_only(@TempDir Path dir) throws IOException {
        Path yookassa = Files.writeString(dir.resolve("payments.csv"), "\uFEFF\u0418\u0434\u0435\u043d\u0442\u0438\u0444\u0438\u043a\u0430\u0442\u043e\u0440 \u043f\u043b\u0430\u0442\u0435\u0436\u0430;\u0421\u0443\u043c\u043c\u0430 \u043f\u043b\u0430\u0442\u0435\u0436\u0430\n");
        Path sandbox = Files.writeString(dir.resolve("sandbox.csv"),
                "id,type,payment_id,order_reference,amount,fee,net,currency,created_at,payout_id\n");
        Path export = Files.writeString(dir.resolve("orders.csv"), EXPORT_HEADER);
        assertThatThrownBy(() -> Audit.run(AuditRequest.of(export, yookassa, null)
                .withMoreProviderReports(List.of(sandbox)), MatchSink.NONE, Progress.NONE))
                .isInstanceOf(UnusableInputException.class).hasMessageContaining("one provider");
    }

    /** The reconciliation API: both registries uploaded, one run over them. */
    @Test
    void a_run_over_both_registries_finds_nothing_wrong_with_these_orders() {
        String[] refunded = refundedTwice();
        List<String[]> orders = List.of(refunded, paid(61_000, "manual"));
        String payments = upload("yookassa payments.csv", registry("payments", orders));
        String refunds = upload("yookassa refunds.csv", registry("refunds", orders));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Api.Response run = api.post("/v1/reconciliation/runs", "{\"from\":\"" + today + "\",\"to\":\"" + today
                + "\",\"provider_files\":[\"" + payments + "\",\"" + refunds + "\"]}").expect(200);
        assertThat(run.text("status")).isEqualTo("succeeded");
        assertThat(run.body().path("inputs").path("provider_files")).hasSize(2);
        for (String[] order : orders) {
            assertThat(jdbc.sql("select class from recon_run_discrepancies where run_id = :run and order_id = :order")
                    .param("run", run.text("id")).param("order", order[0]).query(String.class).list())
                    .as("discrepancies of %s", order[0]).isEmpty();
        }
        Api.Response onlyPayments = api.post("/v1/reconciliation/runs", "{\"from\":\"" + today + "\",\"to\":\""
                + today + "\",\"provider_file\":\"" + payments + "\"}").expect(200);
        assertThat(jdbc.sql("select class from recon_run_discrepancies where run_id = :run and order_id = :order")
                .param("run", onlyPayments.text("id")).param("order", refunded[0]).query(String.class).list())
                .containsExactly("refund_recorded_not_at_provider");
    }

    private String[] refundedTwice() {
        String[] refunded = paid(200_000, "manual");
        api.post("/v1/refunds", "{\"payment\":\"" + refunded[1] + "\",\"amount\":30000}").expect(200);
        api.post("/v1/refunds", "{\"payment\":\"" + refunded[1] + "\",\"amount\":20000}").expect(200);
        api.eventually("/v1/orders/" + refunded[0], r -> r.number("amount_refunded") == 50_000);
        return refunded;
    }

    private String upload(String name, String csv) {
        return api.send(api.request("/v1/reconciliation/files?kind=provider&name="
                        + URLEncoder.encode(name, StandardCharsets.UTF_8)).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv, StandardCharsets.UTF_8)).build()).expect(200).text("id");
    }
}
