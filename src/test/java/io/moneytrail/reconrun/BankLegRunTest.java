package io.moneytrail.reconrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 14, the bank leg in a database-backed run: the new bank classes are recorded with the run
 * and land in the exceptions queue (the V28 class checks accept them), for each bank format.
 */
class BankLegRunTest extends ApiTest {

    private static final Path DIR = Path.of("src/test/resources/reconciliation/bank-leg");

    private Api.Response upload(String query, Path file) throws IOException {
        return api.send(api.request("/v1/reconciliation/files?" + query).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(file))).build()).expect(200);
    }

    @ParameterizedTest
    @CsvSource({"camt053,camt053-v02.xml", "mt940,mt940.txt", "1c,1c-windows-1251.txt"})
    void a_run_records_the_bank_legs_classes_and_opens_their_exceptions(String format, String file) throws IOException {
        String report = upload("kind=provider&format=sandbox&name=bank-leg-report.csv", DIR.resolve("sandbox-report.csv"))
                .text("id");
        String bank = upload("kind=bank&format=" + format + "&name=" + file, DIR.resolve(file)).text("id");
        String run = api.post("/v1/reconciliation/runs", "{\"from\":\"2026-05-01\",\"to\":\"2026-05-31\","
                + "\"provider_file\":\"" + report + "\",\"bank_file\":\"" + bank + "\"}").expect(200).text("id");
        List<String> bankClasses = jdbc.sql("""
                        select class from recon_run_discrepancies where run_id = :run and leg = 'bank' order by seq""")
                .param("run", run).query(String.class).list();
        assertThat(bankClasses).containsExactly("payout_not_received", "bank_credit_without_payout",
                "bank_debit_without_payout", "bank_credit_unexplained");
        JsonNode unexplained = api.get("/v1/reconciliation/runs/" + run + "/discrepancies?class=bank_credit_unexplained")
                .expect(200).body().path("data");
        assertThat(unexplained.size()).isEqualTo(1);
        String exception = unexplained.get(0).path("exception").asString();
        JsonNode queued = api.get("/v1/reconciliation/exceptions/" + exception).expect(200).body();
        assertThat(queued.path("discrepancy_class").asString()).isEqualTo("bank_credit_unexplained");
        assertThat(queued.path("severity").asString()).isEqualTo("low");
    }
}
