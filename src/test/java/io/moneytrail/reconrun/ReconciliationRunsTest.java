package io.moneytrail.reconrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Database-backed reconciliation over real sandbox activity: files uploaded over HTTP, runs
 * recorded, discrepancies in the exceptions queue and the workflow on them. Other test classes
 * share the database, so assertions are restricted to this test's own orders.
 */
class ReconciliationRunsTest extends ApiTest {

    @Autowired
    private ReconFiles files;

    /** Taken after the base class has waited out midnight (see AwayFromMidnight), so the test ends on the same day. */
    private LocalDate today;

    @BeforeEach
    void takeToday() {
        today = LocalDate.now(ZoneOffset.UTC);
    }

    /** A paid order of 2 x 12.50 EUR: order id, payment id, the sandbox's payment id. */
    private String[] paidOrder() {
        String order = api.createOrder(1250, 2).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        String paymentId = payment.text("id");
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        Api.Response captured = api.eventually("/v1/payments/" + paymentId, r -> "captured".equals(r.text("status")));
        return new String[] {order, paymentId, captured.text("provider_payment_id")};
    }

    private String sandboxReport() {
        return api.sandbox("GET", "/reports/balance_transactions?from=" + today + "&to=" + today.plusDays(1), null)
                .expect(200).raw();
    }

    private Api.Response upload(String query, byte[] body) {
        return api.send(api.request("/v1/reconciliation/files?" + query).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private Api.Response uploadReport(String report, String name) {
        return upload("kind=provider&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8),
                report.getBytes(StandardCharsets.UTF_8)).expect(200);
    }

    private Api.Response run(String providerFile) {
        return api.post("/v1/reconciliation/runs", "{\"from\":\"" + today + "\",\"to\":\"" + today
                + "\",\"provider_file\":\"" + providerFile + "\"}").expect(200);
    }

    private List<String> classesFound(String runId, String order) {
        return jdbc.sql("select class from recon_run_discrepancies where run_id = :run and order_id = :order order by seq")
                .param("run", runId).param("order", order).query(String.class).list();
    }

    private JsonNode onlyException(String order, String kind) {
        JsonNode data = api.get("/v1/reconciliation/exceptions?order=" + order + "&class=" + kind).expect(200)
                .body().path("data");
        assertThat(data.size()).as("exceptions of %s for %s", kind, order).isEqualTo(1);
        return data.get(0);
    }

    @Test
    void a_run_over_sandbox_activity_matches_then_finds_the_injected_difference_once() {
        String[] first = paidOrder();
        String[] second = paidOrder();
        String[] third = paidOrder();
        api.post("/v1/refunds", "{\"payment\":\"" + first[1] + "\",\"amount\":400}").expect(200);
        api.eventually("/v1/orders/" + first[0], r -> "partially_refunded".equals(r.text("payment_status")));
        String report = sandboxReport();
        assertThat(report).contains(first[2], second[2], third[2]);

        Api.Response file = uploadReport(report, "sandbox " + today + ".csv");
        assertThat(file.text("id")).startsWith("rf_");
        assertThat(file.text("kind")).isEqualTo("provider");
        assertThat(file.text("format")).isEqualTo("sandbox");
        assertThat(file.number("rows")).isGreaterThanOrEqualTo(4);
        assertThat(file.text("sha256")).hasSize(64);
        assertThat(uploadReport(report, "again.csv").text("id")).as("the same file again").isEqualTo(file.text("id"));

        java.nio.file.Path handedOver = files.heldParsed(file.text("id")).orElseThrow();
        assertThat(handedOver).as("the import's parsed rows wait for the run").exists();
        Api.Response clean = run(file.text("id"));
        assertThat(files.heldParsed(file.text("id"))).as("taken by the run").isEmpty();
        assertThat(handedOver).as("deleted after the run").doesNotExist();
        // a run that finds no rows handed over (another process, a restart) parses the stored file: the same result
        Api.Response parsedAgain = run(file.text("id"));
        assertThat(parsedAgain.body().path("counts").path("engine"))
                .isEqualTo(clean.body().path("counts").path("engine"));
        assertThat(parsedAgain.body().path("counts").path("problems"))
                .isEqualTo(clean.body().path("counts").path("problems"));
        assertThat(clean.text("id")).startsWith("rr_");
        assertThat(clean.text("status")).isEqualTo("succeeded");
        assertThat(clean.body().path("inputs").path("provider_file").path("sha256").asText())
                .isEqualTo(file.text("sha256"));
        assertThat(clean.body().path("counts").path("matched").asLong()).isGreaterThanOrEqualTo(3);
        for (String[] ids : List.of(first, second, third)) {
            assertThat(classesFound(clean.text("id"), ids[0])).as("discrepancies of %s", ids[0]).isEmpty();
        }
        assertThat(api.get("/v1/reconciliation/runs/" + clean.text("id")).expect(200).text("status"))
                .isEqualTo("succeeded");
        assertThat(api.get("/v1/reconciliation/runs?limit=100").expect(200).raw()).contains(clean.text("id"));

        // the provider "lost" the third order's charge
        String injected = Arrays.stream(report.split("\n")).filter(line -> !line.contains(third[2]))
                .collect(Collectors.joining("\n", "", "\n"));
        String injectedFile = uploadReport(injected, "without-third.csv").text("id");
        Api.Response found = run(injectedFile);
        assertThat(classesFound(found.text("id"), third[0])).containsExactly("paid_order_without_provider_record");
        assertThat(classesFound(found.text("id"), first[0])).isEmpty();
        assertThat(classesFound(found.text("id"), second[0])).isEmpty();
        assertThat(found.body().path("counts").path("by_class").path("paid_order_without_provider_record").asLong())
                .isGreaterThanOrEqualTo(1);
        JsonNode listed = api.get("/v1/reconciliation/runs/" + found.text("id")
                + "/discrepancies?class=paid_order_without_provider_record&limit=100").expect(200).body().path("data");
        assertThat(listed.toString()).contains(third[0]);

        // the exceptions workflow on it
        JsonNode exception = onlyException(third[0], "paid_order_without_provider_record");
        String id = exception.path("id").asText();
        assertThat(id).startsWith("rx_");
        assertThat(exception.path("status").asText()).isEqualTo("open");
        assertThat(exception.path("evidence").path("ours").asLong()).isEqualTo(2500);
        Api.Response skipping = api.post("/v1/reconciliation/exceptions/" + id + "/resolve", "{\"reason\":\"x\"}")
                .expect(409);
        assertThat(skipping.errorCode()).isEqualTo("invalid_transition");
        assertThat(api.post("/v1/reconciliation/exceptions/" + id + "/acknowledge", "{}").expect(200)
                .text("status")).isEqualTo("acknowledged");
        assertThat(api.post("/v1/reconciliation/exceptions/" + id + "/resolve", "{}").expect(400).errorParam())
                .isEqualTo("reason");
        Api.Response resolved = api.post("/v1/reconciliation/exceptions/" + id + "/resolve", """
                {"reason":"provider confirmed the charge by phone; booked to suspense until their report is fixed",
                 "adjustment":{"lines":[
                   {"account":"expenses:adjustments","direction":"debit","amount":2500,"currency":"EUR"},
                   {"account":"liabilities:suspense","direction":"credit","amount":2500,"currency":"EUR"}]}}
                """).expect(200);
        assertThat(resolved.text("status")).isEqualTo("resolved");
        String entry = resolved.text("ledger_entry");
        assertThat(entry).startsWith("je_");
        JsonNode entries = api.get("/v1/ledger/entries?order=" + third[0] + "&limit=100").expect(200).body().path("data");
        assertThat(entries.toString()).contains(entry).contains("provider confirmed the charge");
        assertThat(api.get("/v1/ledger/trial-balance").expect(200).body().path("balanced").asBoolean()).isTrue();
        JsonNode history = api.get("/v1/reconciliation/exceptions/" + id).expect(200).body().path("history");
        assertThat(history.size()).isEqualTo(3);
        assertThat(history.get(0).path("action").asText()).isEqualTo("opened");
        assertThat(history.get(1).path("action").asText()).isEqualTo("acknowledged");
        assertThat(history.get(1).path("api_key").asText()).startsWith("key_");
        assertThat(history.get(2).path("action").asText()).isEqualTo("resolved");
        assertThat(history.get(2).path("actor").asText()).matches(".* \\(key_[0-9a-z]{26}, admin\\)");
        assertThat(history.get(2).path("ledger_entry").asText()).isEqualTo(entry);
        assertThat(api.post("/v1/reconciliation/exceptions/" + id + "/acknowledge", null).expect(409).errorCode())
                .isEqualTo("invalid_transition");

        // the same difference again does not reopen what was resolved
        Api.Response again = run(injectedFile);
        assertThat(classesFound(again.text("id"), third[0])).containsExactly("paid_order_without_provider_record");
        JsonNode after = api.get("/v1/reconciliation/exceptions/" + id).expect(200).body();
        assertThat(after.path("status").asText()).isEqualTo("resolved");
        assertThat(after.path("last_run").asText()).isEqualTo(again.text("id"));
        assertThat(after.path("history").size()).isEqualTo(3);
    }

    @Test
    void thousands_of_differences_in_one_run_are_recorded_in_chunks_and_found_again_without_new_exceptions() {
        String[] paid = paidOrder();
        String report = sandboxReport();
        String charge = Arrays.stream(report.split("\n")).filter(line -> line.contains(paid[2]))
                .filter(line -> line.contains(",charge,") || line.contains(",payment,")).findFirst().orElseThrow();
        String[] cells = charge.split(",", -1);
        int ghosts = ReconExceptions.CHUNK * 2 + 500; // three chunks
        String tag = "ghost" + System.nanoTime();
        StringBuilder withGhosts = new StringBuilder(report.endsWith("\n") ? report : report + "\n");
        for (int i = 0; i < ghosts; i++) {
            String[] row = cells.clone();
            row[0] = "txn_" + tag + "_" + i;
            row[2] = "sbx_" + tag + "_" + i;
            row[3] = "pay_" + tag + "_" + i;
            withGhosts.append(String.join(",", row)).append('\n');
        }
        String file = uploadReport(withGhosts.toString(), tag + ".csv").text("id");

        String first = run(file).text("id");
        String ghostRows = "select count(*) from recon_run_discrepancies where run_id = :run"
                + " and evidence ->> 'provider_payment_id' like :tag";
        assertThat(jdbc.sql(ghostRows).param("run", first).param("tag", "sbx_" + tag + "%").query(Long.class).single())
                .isEqualTo(ghosts);
        List<String> opened = jdbc.sql("""
                        select e.id from recon_exceptions e
                        where e.first_run_id = :run and e.evidence ->> 'provider_payment_id' like :tag order by e.id""")
                .param("run", first).param("tag", "sbx_" + tag + "%").query(String.class).list();
        assertThat(opened).hasSize(ghosts);
        assertThat(jdbc.sql("""
                        select count(*) from recon_exception_events
                        where exception_id = any(:ids) and action = 'opened' and run_id = :run""")
                .param("ids", opened.toArray(new String[0])).param("run", first).query(Long.class).single())
                .isEqualTo(ghosts);
        assertThat(jdbc.sql("""
                        select count(distinct d.exception_id) from recon_run_discrepancies d
                        join recon_exceptions e on e.id = d.exception_id
                        where d.run_id = :run and d.evidence = e.evidence and d.class = e.class
                          and d.evidence ->> 'provider_payment_id' like :tag""")
                .param("run", first).param("tag", "sbx_" + tag + "%").query(Long.class).single())
                .as("each run row links the exception holding its own evidence").isEqualTo(ghosts);

        String second = run(file).text("id");
        assertThat(jdbc.sql(ghostRows).param("run", second).param("tag", "sbx_" + tag + "%").query(Long.class).single())
                .isEqualTo(ghosts);
        assertThat(jdbc.sql("""
                        select count(*) from recon_exceptions
                        where evidence ->> 'provider_payment_id' like :tag and last_run_id = :run
                          and first_run_id = :first and status = 'open'""")
                .param("tag", "sbx_" + tag + "%").param("run", second).param("first", first)
                .query(Long.class).single()).as("the same exceptions, seen again").isEqualTo(ghosts);
        assertThat(jdbc.sql("select count(*) from recon_exception_events where exception_id = any(:ids)")
                .param("ids", opened.toArray(new String[0])).query(Long.class).single())
                .as("unchanged evidence adds no event").isEqualTo(ghosts);
    }

    @Test
    void the_internal_leg_finds_a_ledger_difference_and_changed_evidence_reopens_what_was_ignored() {
        String[] ids = paidOrder();
        api.post("/v1/ledger/adjustments", """
                {"order":"%s","reason":"a wrong manual posting","lines":[
                  {"account":"assets:psp:sandbox","direction":"debit","amount":100,"currency":"EUR"},
                  {"account":"expenses:adjustments","direction":"credit","amount":100,"currency":"EUR"}]}
                """.formatted(ids[0])).expect(200);
        String file = uploadReport(sandboxReport(), "sandbox.csv").text("id");

        Api.Response first = run(file);
        assertThat(classesFound(first.text("id"), ids[0])).containsExactly("ledger_disagrees_with_derived_status");
        JsonNode exception = onlyException(ids[0], "ledger_disagrees_with_derived_status");
        String id = exception.path("id").asText();
        assertThat(exception.path("evidence").path("ours").asLong()).isEqualTo(2500);
        assertThat(exception.path("evidence").path("theirs").asLong()).isEqualTo(2600);
        api.post("/v1/reconciliation/exceptions/" + id + "/acknowledge", null).expect(200);
        assertThat(api.post("/v1/reconciliation/exceptions/" + id + "/ignore", "{}").expect(400).errorParam())
                .isEqualTo("reason");
        assertThat(api.post("/v1/reconciliation/exceptions/" + id + "/ignore", "{\"reason\":\"known, fixed next month\"}")
                .expect(200).text("status")).isEqualTo("ignored");

        run(file);
        assertThat(api.get("/v1/reconciliation/exceptions/" + id).body().path("status").asText()).isEqualTo("ignored");

        api.post("/v1/ledger/adjustments", """
                {"order":"%s","reason":"another wrong posting","lines":[
                  {"account":"assets:psp:sandbox","direction":"debit","amount":50,"currency":"EUR"},
                  {"account":"expenses:adjustments","direction":"credit","amount":50,"currency":"EUR"}]}
                """.formatted(ids[0])).expect(200);
        Api.Response third = run(file);
        JsonNode reopened = api.get("/v1/reconciliation/exceptions/" + id).expect(200).body();
        assertThat(reopened.path("status").asText()).isEqualTo("open");
        assertThat(reopened.path("evidence").path("theirs").asLong()).isEqualTo(2650);
        JsonNode last = reopened.path("history").get(reopened.path("history").size() - 1);
        assertThat(last.path("action").asText()).isEqualTo("reopened");
        assertThat(last.path("run").asText()).isEqualTo(third.text("id"));
        assertThat(last.path("reason").asText()).contains("evidence changed").contains("2600").contains("2650");
    }

    @Test
    void bad_input_is_refused_and_nothing_is_kept() throws IOException {
        long filesBefore = jdbc.sql("select count(*) from recon_files").query(Long.class).single();
        Path dir = DATA_DIR.resolve("reconciliation/files");
        Files.createDirectories(dir);
        long storedBefore = stored(dir);

        Api.Response malformed = upload("kind=provider&format=sandbox&name=broken.csv",
                "id,type,payment_id,something_else\n1,charge,x,y\n".getBytes(StandardCharsets.UTF_8)).expect(400);
        assertThat(malformed.errorCode()).isEqualTo("file_unusable");
        assertThat(malformed.body().path("error").path("message").asText()).startsWith("broken.csv").contains("header");
        Api.Response undetectable = upload("kind=bank&name=what.txt", "hello\n".getBytes(StandardCharsets.UTF_8))
                .expect(400);
        assertThat(undetectable.body().path("error").path("message").asText()).contains("what.txt");
        assertThat(upload("format=sandbox", "x".getBytes(StandardCharsets.UTF_8)).expect(400).errorParam())
                .isEqualTo("kind");

        byte[] oversize = new byte[2 * 1024 * 1024 + 512 * 1024];
        Arrays.fill(oversize, (byte) 'a');
        Api.Response tooLarge = upload("kind=provider&format=sandbox&name=huge.csv", oversize).expect(413);
        assertThat(tooLarge.errorCode()).isEqualTo("file_too_large");
        assertThat(jdbc.sql("select count(*) from recon_files").query(Long.class).single()).isEqualTo(filesBefore);
        assertThat(stored(dir)).isEqualTo(storedBefore);

        // past the API's 1 MiB body bound, within the file bound: streamed and kept
        StringBuilder big = new StringBuilder("id,type,payment_id,order_reference,amount,fee,net,currency,created_at,payout_id\n");
        for (int i = 0; big.length() < 1_500_000; i++) {
            big.append("sbt_big_").append(i).append(",charge,sp_big_").append(i).append(",pay_big_").append(i)
                    .append(",1.00,0.00,1.00,EUR,2020-01-01T00:00:00Z,spo_20200102_EUR\n");
        }
        Api.Response kept = upload("kind=provider&name=big.csv", big.toString().getBytes(StandardCharsets.UTF_8))
                .expect(200);
        assertThat(kept.number("bytes")).isGreaterThan(1 << 20);

        Api.Response unknownFile = api.post("/v1/reconciliation/runs", "{\"from\":\"" + today + "\",\"to\":\"" + today
                + "\",\"provider_file\":\"rf_nope\"}").expect(400);
        assertThat(unknownFile.errorCode()).isEqualTo("file_unknown");
        assertThat(unknownFile.errorParam()).isEqualTo("provider_file");
        Api.Response backwards = api.post("/v1/reconciliation/runs", "{\"from\":\"" + today + "\",\"to\":\""
                + today.minusDays(1) + "\",\"provider_file\":\"" + kept.text("id") + "\"}").expect(400);
        assertThat(backwards.errorParam()).isEqualTo("from");
        assertThat(api.post("/v1/reconciliation/runs", "{\"from\":\"yesterday\",\"to\":\"" + today
                + "\",\"provider_file\":\"" + kept.text("id") + "\"}").expect(400).errorParam()).isEqualTo("from");
        assertThat(api.get("/v1/reconciliation/exceptions/rx_nope").status()).isEqualTo(404);
        assertThat(api.get("/v1/reconciliation/runs/rr_nope").status()).isEqualTo(404);
        assertThat(api.get("/v1/reconciliation/exceptions?status=done").expect(400).errorParam()).isEqualTo("status");
        assertThat(api.get("/v1/reconciliation/files?limit=100").expect(200).raw()).contains(kept.text("id"));
    }

    private static long stored(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void the_daily_run_without_files_still_runs_the_internal_leg() {
        ReconRun run = runs.daily(today.minusYears(5));
        assertThat(run.status()).isEqualTo("succeeded");
        assertThat(run.trigger()).isEqualTo("schedule");
        assertThat(run.inputsJson().replace(" ", "")).contains("\"provider_file\":null");
        assertThat(run.matchedRate()).isEqualTo(1.0);
    }

    @org.springframework.beans.factory.annotation.Autowired
    ReconRuns runs;
}
