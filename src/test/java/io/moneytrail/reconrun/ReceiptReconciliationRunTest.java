package io.moneytrail.reconrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Receipt reconciliation through the run machinery: rouble orders paid through the sandbox, their
 * receipts set by the test in the fiscal module's table (whatever the fiscal module's own worker did
 * with them), one database-backed run over today; each class lands in the run's discrepancies and in
 * the exceptions queue with its evidence, and the clean order has none.
 */
class ReceiptReconciliationRunTest extends ApiTest {

    private static final JsonMapper JSON = new JsonMapper();
    private static final long TOTAL = 152_000;
    private static final String ITEMS_122 = """
            [{"name":"Чайник","sku":"SKU-1","price":122000,"quantity":1,"sum":122000,"vat":"vat122","vat_sum":22000,
              "payment_object":1,"measure":0},
             {"name":"Доставка","sku":"SHIP","price":30000,"quantity":1,"sum":30000,"vat":"vat122","vat_sum":5410,
              "payment_object":4,"measure":0}]""";
    private static final String FISCAL = """
            {"fn_number":"9999078900004312","fiscal_document_number":1001,"fiscal_document_attribute":123456789,
             "fiscal_receipt_number":1,"shift_number":335,"receipt_datetime":"2026-12-01T12:00:00",
             "ecr_registration_number":"0000000001002293","fns_site":"www.nalog.gov.ru","ofd_inn":"7700000000"}""";

    @Autowired
    private ReconRuns runs;

    @Autowired
    private ReceiptCheck check;

    /** {order id, payment id} of a rouble order of 1,220.00 + 300.00 at 22 %, paid and captured. */
    private String[] paidInRoubles() {
        String order = api.post("/v1/orders", """
                {"currency":"RUB","reference":"R-1","customer":{"email":"buyer@example.com"},
                 "lines":[{"sku":"SKU-1","name":"Чайник","quantity":1,"unit_amount":122000,"vat_rate":22},
                          {"sku":"SHIP","name":"Доставка","quantity":1,"unit_amount":30000,"vat_rate":22}]}""")
                .expect(200).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/payments/" + payment.text("id"), r -> "captured".equals(r.text("status")));
        return new String[] {order, payment.text("id")};
    }

    /** Replaces whatever receipts the order has with one prepayment receipt in the given state. */
    private void receipt(String[] paid, String status, long total, String vats, String error) {
        jdbc.sql("delete from receipts where order_id = :order").param("order", paid[0]).update();
        String id = "rcp_test_" + UUID.randomUUID();
        jdbc.sql("""
                        insert into receipts (id, order_id, payment_id, source, type, payment_method, purpose, status,
                                              total, currency, items, vats, provider, external_id, external_uuid,
                                              fiscal, error, done_at, created_at, updated_at)
                        values (:id, :order, :payment, :id, 'sell', 'full_prepayment', 'prepayment', :status, :total,
                                'RUB', cast(:items as jsonb), cast(:vats as jsonb), 'atol', :id, :uuid,
                                cast(:fiscal as jsonb), cast(:error as jsonb),
                                case when :status = 'done' then now() end,
                                now() - interval '1 hour', now() - interval '1 hour')""")
                .param("id", id).param("order", paid[0]).param("payment", paid[1]).param("status", status)
                .param("total", total).param("items", ITEMS_122).param("vats", vats)
                .param("uuid", UUID.randomUUID().toString())
                .param("fiscal", "done".equals(status) ? FISCAL : null).param("error", error).update();
    }

    private List<String> classes(String run, String order) {
        return jdbc.sql("select class from recon_run_discrepancies where run_id = :run and order_id = :order order by seq")
                .param("run", run).param("order", order).query(String.class).list();
    }

    @Test
    void each_receipt_class_is_found_by_a_run_and_queued_with_its_evidence() {
        String[] missing = paidInRoubles();
        String[] failed = paidInRoubles();
        String[] sum = paidInRoubles();
        String[] vat = paidInRoubles();
        String[] clean = paidInRoubles();
        String[] handedOver = paidInRoubles(); // fulfilled: its offset receipt is due
        api.post("/v1/orders/" + handedOver[0] + "/fulfill", "{}").expect(200);
        jdbc.sql("delete from receipts where order_id = :order").param("order", missing[0]).update();
        receipt(failed, "failed", TOTAL, "{\"vat122\":27410}",
                "{\"code\":-3897,\"text\":\"Чек оплачен не полностью\",\"type\":\"driver\"}");
        receipt(sum, "done", 150_000, "{\"vat122\":27410}", null);
        receipt(vat, "done", TOTAL, "{\"vat122\":27400}", null);
        receipt(clean, "done", TOTAL, "{\"vat122\":27410}", null);
        receipt(handedOver, "done", TOTAL, "{\"vat122\":27410}", null); // the advance, and no offset

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Duration grace = check.grace(Duration.ZERO); // the captures are seconds old: report them now
        ReconRun run;
        try {
            run = runs.run(today, today, List.of(), null, "api");
        } finally {
            check.grace(grace);
        }
        assertThat(run.status()).isEqualTo("succeeded");
        assertThat(classes(run.id(), missing[0])).containsExactly("receipt_missing");
        assertThat(classes(run.id(), failed[0])).containsExactly("receipt_failed");
        assertThat(classes(run.id(), sum[0])).containsExactly("receipt_sum_mismatch");
        assertThat(classes(run.id(), vat[0])).containsExactly("receipt_vat_mismatch");
        assertThat(classes(run.id(), clean[0])).isEmpty();
        assertThat(classes(run.id(), handedOver[0])).containsExactly("receipt_missing");
        assertThat(jdbc.sql("select evidence ->> 'rule' from recon_run_discrepancies where run_id = :run and order_id = :o")
                .param("run", run.id()).param("o", handedOver[0]).query(String.class).single())
                .isEqualTo("receipt_by_fulfilment");
        JsonNode counts = JSON.readTree(run.countsJson());
        assertThat(counts.path("receipts").path("payments_checked").asLong()).isGreaterThanOrEqualTo(6);
        assertThat(counts.path("receipts").path("fulfilments_checked").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(counts.path("by_class").path("receipt_missing").asLong()).isPositive();

        // in the exceptions queue, open, with the evidence on both sides
        JsonNode evidence = JSON.readTree(jdbc.sql("""
                        select evidence::text from recon_exceptions where order_id = :order and class = 'receipt_sum_mismatch'
                        and status = 'open'""").param("order", sum[0]).query(String.class).single());
        assertThat(evidence.path("leg").asString()).isEqualTo("receipt");
        assertThat(evidence.path("severity").asString()).isEqualTo("high");
        assertThat(evidence.path("provider_payment_id").asString()).isEqualTo(sum[1]);
        assertThat(evidence.path("currency").asString()).isEqualTo("RUB");
        assertThat(evidence.path("ours").asLong()).isEqualTo(TOTAL);
        assertThat(evidence.path("theirs").asLong()).isEqualTo(150_000);
        assertThat(evidence.path("rule").asString()).isEqualTo("receipt_by_payment");
        JsonNode failedEvidence = JSON.readTree(jdbc.sql("""
                        select evidence::text from recon_exceptions where order_id = :order and class = 'receipt_failed'
                        """).param("order", failed[0]).query(String.class).single());
        assertThat(failedEvidence.path("explanation").asString()).contains("driver -3897");
        assertThat(failedEvidence.path("source").asString()).startsWith("receipts:rcp_test_");

        // the same findings again change nothing: the exceptions keep their status, the run counts them once
        Duration again = check.grace(Duration.ZERO);
        try {
            ReconRun second = runs.run(today, today, List.of(), null, "api");
            assertThat(classes(second.id(), missing[0])).containsExactly("receipt_missing");
        } finally {
            check.grace(again);
        }
        assertThat(jdbc.sql("select count(*) from recon_exceptions where order_id = :order").param("order", missing[0])
                .query(Long.class).single()).isEqualTo(1);
    }
}
