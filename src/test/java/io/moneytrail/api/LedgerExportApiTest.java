package io.moneytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.ledger.Journal;
import io.moneytrail.ledger.JournalEntry;
import io.moneytrail.ledger.PostingRules;
import io.moneytrail.ledger.Posting;
import io.moneytrail.money.Money;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import io.moneytrail.testing.LedgerTools;
import io.moneytrail.testing.RequiresTool;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code GET /v1/ledger/export}: bad input is answered with the error envelope before any
 * byte of the file; good input streams the file. Each test that counts rows posts its
 * entries into a day long past that no other test uses, so the counts are exact.
 */
class LedgerExportApiTest extends ApiTest {

    @Autowired
    Journal journal;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void csv_export_has_one_row_per_line_in_major_units_and_every_entry_balances() throws Exception {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        Instant day = Instant.parse("2002-05-17T10:00:00Z");
        journal.post(PostingRules.capture("txn_csv_eur_" + unique, "ord_csv_" + unique, "sandbox",
                Money.of(2500, "EUR"), day));
        journal.post(PostingRules.refundAfterFulfilment("txn_csv_ref_" + unique, "ord_csv_" + unique, "sandbox",
                Money.of(1220, "EUR"), 0, PostingRules.EarlierReturns.NONE, Money.of(2500, "EUR"), 451, day.plusSeconds(60)));
        journal.post(PostingRules.capture("txn_csv_jpy_" + unique, "ord_csv_jpy_" + unique, "sandbox",
                Money.of(15000, "JPY"), day.plusSeconds(120)));
        journal.post(PostingRules.capture("txn_csv_kwd_" + unique, "ord_csv_kwd_" + unique, "sandbox",
                Money.of(12345, "KWD"), day.plusSeconds(180)));
        journal.post(PostingRules.adjustment("adj_csv_" + unique, null,
                List.of(Posting.debit("expenses:adjustments", Money.of(5, "EUR")),
                        Posting.credit("liabilities:suspense", Money.of(5, "EUR"))),
                "ops", "comma, \"quote\"\nand a new line", day.plusSeconds(240)));

        HttpResponse<String> response = download("format=csv&from=2002-05-17&to=2002-05-17");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/csv").containsIgnoringCase("charset=utf-8"));
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue(
                "attachment; filename=\"moneytrail-ledger-2002-05-17-to-2002-05-17.csv\"");
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(response.body())).getRecords();
        assertThat(rows.get(0).getParser().getHeaderNames()).containsExactly("entry_id", "effective_date",
                "recorded_at", "source_type", "source_id", "order_id", "description", "line_no", "account", "debit",
                "credit", "currency");
        assertThat(rows).hasSize(2 + 3 + 2 + 2 + 2);
        Map<String, BigDecimal> balance = new HashMap<>();
        for (CSVRecord row : rows) {
            assertThat(row.get("effective_date")).isEqualTo("2002-05-17");
            assertThat(row.get("debit").isEmpty()).as("exactly one of debit and credit: %s", row)
                    .isNotEqualTo(row.get("credit").isEmpty());
            BigDecimal debit = row.get("debit").isEmpty() ? BigDecimal.ZERO : new BigDecimal(row.get("debit"));
            BigDecimal credit = row.get("credit").isEmpty() ? BigDecimal.ZERO : new BigDecimal(row.get("credit"));
            balance.merge(row.get("entry_id") + " " + row.get("currency"), debit.subtract(credit), BigDecimal::add);
        }
        assertThat(balance).hasSize(5).allSatisfy((entry, sum) -> assertThat(sum).as(entry).isZero());
        assertThat(rows).anySatisfy(row -> assertThat(List.of(row.get("debit"), row.get("currency")))
                .containsExactly("15000", "JPY"));
        assertThat(rows).anySatisfy(row -> assertThat(List.of(row.get("credit"), row.get("currency")))
                .containsExactly("12.345", "KWD"));
        assertThat(rows).anySatisfy(row -> assertThat(List.of(row.get("account"), row.get("debit")))
                .containsExactly("income:sales_returns", "10.00")); // 12.20 refunded, 2.20 of it VAT
        assertThat(rows).anySatisfy(row -> assertThat(row.get("description"))
                .isEqualTo("adjustment by ops: comma, \"quote\"\nand a new line"));
    }

    @Test
    void a_formula_in_an_adjustment_reference_is_neutralised_in_the_csv_export_and_the_amounts_stay_numbers()
            throws Exception {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        String reference = "=HYPERLINK(\"http://evil.example/" + unique + "\",\"x\")";
        api.post("/v1/ledger/adjustments", """
                {"lines":[{"account":"expenses:adjustments","direction":"debit","amount":1250,"currency":"EUR"},
                          {"account":"liabilities:suspense","direction":"credit","amount":1250,"currency":"EUR"}],
                 "reason":"@cash count difference","reference":"%s","effective_at":"2002-06-21T10:00:00Z"}"""
                .formatted(reference.replace("\"", "\\\""))).expect(200);

        HttpResponse<String> response = download("format=csv&from=2002-06-21&to=2002-06-21");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(",=HYPERLINK").doesNotContain("\"=HYPERLINK")
                .doesNotContain("\n=HYPERLINK");
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(response.body())).getRecords().stream()
                .filter(row -> row.get("source_id").contains(unique)).toList();
        assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row.get("source_id")).isEqualTo("'" + reference));
        assertThat(rows).extracting(row -> row.get("account") + " " + row.get("debit") + "/" + row.get("credit"))
                .containsExactlyInAnyOrder("expenses:adjustments 12.50/", "liabilities:suspense /12.50");
    }

    @Test
    void range_is_by_utc_effective_date_with_both_ends_included() throws Exception {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        String[] instants = {"2001-02-28T23:59:59.999999Z", "2001-03-01T00:00:00Z", "2001-03-31T23:59:59.999999Z",
                "2001-04-01T00:00:00Z"};
        for (int i = 0; i < instants.length; i++) {
            journal.post(PostingRules.capture("txn_edge_" + i + "_" + unique, "ord_edge_" + unique, "sandbox",
                    Money.of(100 + i, "EUR"), Instant.parse(instants[i])));
        }

        HttpResponse<String> response = download("format=csv&from=2001-03-01&to=2001-03-31");

        assertThat(response.statusCode()).isEqualTo(200);
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(response.body())).getRecords();
        assertThat(rows).extracting(row -> row.get("effective_date") + " " + row.get("debit") + row.get("credit"))
                .containsExactly("2001-03-01 1.01", "2001-03-01 1.01", "2001-03-31 1.02", "2001-03-31 1.02");
    }

    @Test
    void hledger_journal_streams_as_an_attachment() throws Exception {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        JournalEntry capture = journal.post(PostingRules.capture("txn_stream_" + unique, "ord_stream_" + unique,
                "sandbox", Money.of(990, "EUR"), Instant.parse("2003-01-15T12:00:00Z")));

        HttpResponse<String> response = download("format=hledger&from=2003-01-01&to=2003-01-31");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain").containsIgnoringCase("charset=utf-8"));
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue(
                "attachment; filename=\"moneytrail-ledger-2003-01-01-to-2003-01-31.journal\"");
        assertThat(response.body()).contains("2003-01-15 * (" + capture.id() + ") capture 9.90 EUR for order")
                .contains("    assets:psp:sandbox  9.90 EUR\n    liabilities:customer_advances  -9.90 EUR\n")
                .endsWith("; end of export: 1 entries, 2 postings\n");
    }

    @Test
    @RequiresTool("hledger")
    void hledger_accepts_the_streamed_journal_strictly() throws Exception {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        journal.post(PostingRules.capture("txn_hcheck_" + unique, "ord_hcheck_" + unique,
                "sandbox", Money.of(1250, "EUR"), Instant.parse("2003-02-15T12:00:00Z")));

        HttpResponse<String> response = download("format=hledger&from=2003-02-01&to=2003-02-28");

        assertThat(response.statusCode()).isEqualTo(200);
        Path file = Files.createTempFile("export", ".journal");
        try {
            Files.writeString(file, response.body());
            LedgerTools.run("hledger", "-f", file.toString(), "check", "--strict").accepted();
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void an_empty_range_is_a_valid_file() throws Exception {
        HttpResponse<String> response = download("format=beancount&from=1980-01-01&to=1980-12-31");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("1970-01-01 open Assets:Psp:Sandbox")
                .endsWith("; end of export: 0 entries, 0 postings\n");
    }

    @Test
    void bad_format_is_400_naming_format() {
        expectInvalid("format=xlsx&from=2024-01-01&to=2024-01-31", "parameter_invalid", "format");
        expectInvalid("from=2024-01-01&to=2024-01-31", "parameter_missing", "format");
    }

    @Test
    void bad_dates_are_400_naming_the_date() {
        expectInvalid("format=csv&from=2024-02-30&to=2024-03-31", "parameter_invalid", "from");
        expectInvalid("format=csv&from=2024-01-01&to=tomorrow", "parameter_invalid", "to");
        expectInvalid("format=csv&from=2024-01-01", "parameter_missing", "to");
    }

    @Test
    void from_after_to_is_400_naming_from() {
        expectInvalid("format=ledger&from=2024-02-01&to=2024-01-31", "range_invalid", "from");
    }

    @Test
    void a_range_longer_than_366_days_is_400_naming_to_and_366_days_is_allowed() {
        expectInvalid("format=ledger&from=2023-01-01&to=2024-01-02", "range_too_large", "to"); // 367 days
        assertThat(api.get("/v1/ledger/export?format=ledger&from=1984-01-01&to=1984-12-31").status()).isEqualTo(200);
    }

    @Test
    void export_needs_the_secret_key() {
        Api anonymous = new Api(api.base(), "sk_wrong");
        Api.Response response = anonymous.get("/v1/ledger/export?format=csv&from=2024-01-01&to=2024-01-31");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errorType()).isEqualTo("authentication_error");
    }

    private void expectInvalid(String query, String code, String param) {
        Api.Response response = api.get("/v1/ledger/export?" + query).expect(400);
        assertThat(response.errorType()).isEqualTo("invalid_request_error");
        assertThat(response.errorCode()).isEqualTo(code);
        assertThat(response.errorParam()).isEqualTo(param);
        assertThat(response.raw()).startsWith("{\"error\":");
    }

    private HttpResponse<String> download(String query) throws IOException, InterruptedException {
        HttpRequest request = api.request("/v1/ledger/export?" + query).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
