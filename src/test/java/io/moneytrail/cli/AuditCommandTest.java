package io.moneytrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The audit command end to end on the sample files that ship in samples/audit (as the README shows). */
class AuditCommandTest {

    private static final Path SAMPLES = Path.of("samples/audit");
    private static final List<String> SAMPLE_CLASSES = List.of("charged_unknown_to_us", "duplicate_charge",
            "captured_on_cancelled_order", "refund_at_provider_not_recorded", "payout_not_received",
            "payout_net_differs_from_transactions", "amount_mismatch", "paid_order_without_provider_record",
            "bank_credit_without_payout", "status_mismatch", "fee_differs_from_tariff", "bank_credit_unexplained");

    @TempDir
    Path out;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private int audit(String... extra) {
        List<String> args = new ArrayList<>(List.of("audit", "--orders", SAMPLES.resolve("orders.csv").toString(),
                "--provider-report", SAMPLES.resolve("stripe-balance-change.csv").toString(),
                "--bank-statement", SAMPLES.resolve("bank-camt053.xml").toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void the_samples_produce_all_reports_with_the_expected_classes_and_exit_0() throws IOException {
        assertThat(audit("--fee-tariff", "1.5%+0.25")).isZero();
        assertThat(out.resolve("report.html")).exists();
        assertThat(out.resolve("matches.csv")).exists();

        JsonNode report = new JsonMapper().readTree(out.resolve("report.json").toFile());
        List<String> classes = new ArrayList<>();
        report.get("discrepancies").forEach(d -> classes.add(d.get("class").asString()));
        assertThat(classes).containsExactlyElementsOf(SAMPLE_CLASSES);
        JsonNode duplicate = report.get("discrepancies").get(1);
        assertThat(duplicate.get("order_id").asString()).isEqualTo("A-1003");
        assertThat(duplicate.get("provider_payment_id").asString()).isEqualTo("pi_3PA1003");
        assertThat(duplicate.get("provider_charge_id").asString()).isEqualTo("ch_3PA1003b");
        assertThat(duplicate.get("ours").asString()).isEqualTo("18.50");
        assertThat(duplicate.get("theirs").asString()).isEqualTo("37.00");
        assertThat(duplicate.get("rule").asString()).isEqualTo("provider_payment_reference");
        JsonNode bankCredit = report.get("discrepancies").get(8);
        assertThat(bankCredit.get("bank_ref").asString()).isEqualTo("20260508-000098");
        assertThat(report.get("summary").get("discrepancies_total").asLong()).isEqualTo(SAMPLE_CLASSES.size());

        try (CSVParser csv = CSVParser.parse(out.resolve("discrepancies.csv"), StandardCharsets.UTF_8,
                CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
            List<CSVRecord> records = csv.getRecords();
            assertThat(records).extracting(r -> r.get("class")).containsExactlyElementsOf(SAMPLE_CLASSES);
            assertThat(records.get(4).get("payout_id")).isEqualTo("po_1PS0");
        }

        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<h1>Moneytrail audit</h1>").contains("12 discrepancies").contains("duplicate_charge")
                .contains("A-1003").contains("po_1PS2").doesNotContain("<script");
        // issue 14: the ACME credit nothing explains is listed for the accountant, with the statement's period
        assertThat(html).contains("bank_credit_unexplained").contains("ACME GmbH").contains("2026-05-07 – 2026-05-09");
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("Discrepancies: 12")
                .contains("critical duplicate_charge").contains("low      bank_credit_unexplained");
    }

    @Test
    void without_a_tariff_fees_are_not_checked() throws IOException {
        assertThat(audit()).isZero();
        JsonNode report = new JsonMapper().readTree(out.resolve("report.json").toFile());
        assertThat(report.get("summary").get("discrepancies_by_class").get("fee_differs_from_tariff").asLong()).isZero();
    }

    @Test
    void report_values_are_escaped_in_html(@TempDir Path in) throws IOException {
        Path orders = in.resolve("orders.csv");
        Files.writeString(orders, "order_id,created_at,status,currency,amount_total,amount_paid,amount_refunded,payment_reference\n"
                + "<script>alert(1)</script>,2026-05-04T08:12:00Z,paid,EUR,26.00,26.00,0.00,pi_x\n");
        int exit = Cli.run(new String[] {"audit", "--orders", orders.toString(), "--provider-report",
            SAMPLES.resolve("stripe-balance-change.csv").toString(), "--out", out.toString()});
        assertThat(exit).isZero();
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
    }

    @Test
    void formulas_from_the_input_files_are_neutralised_in_discrepancies_csv_and_matches_csv_and_amounts_stay_numbers(
            @TempDir Path in) throws IOException {
        String formula = "=HYPERLINK(\"http://evil.example\",\"x\")";
        Path orders = in.resolve("orders.csv");
        Files.writeString(orders, "order_id,created_at,status,currency,amount_total,amount_paid,amount_refunded,payment_reference\n"
                + "\"" + formula.replace("\"", "\"\"") + "\",2026-05-04T08:12:00Z,paid,EUR,26.00,26.00,0.00,pi_3PA1001\n"
                + "-2+3,2026-05-04T09:40:00Z,paid,EUR,40.00,40.00,0.00,@pi_evil\n");
        int exit = Cli.run(new String[] {"audit", "--orders", orders.toString(), "--provider-report",
            SAMPLES.resolve("stripe-balance-change.csv").toString(), "--out", out.toString()});
        assertThat(exit).as("stderr: %s", stderr).isZero();

        List<CSVRecord> discrepancies = records(out.resolve("discrepancies.csv"));
        assertThat(discrepancies).filteredOn(r -> r.get("class").equals("amount_mismatch")).singleElement()
                .satisfies(r -> {
                    assertThat(r.get("order_id")).isEqualTo("'" + formula);
                    assertThat(List.of(r.get("ours"), r.get("theirs"), r.get("difference")))
                            .containsExactly("26.00", "25.00", "-1.00");
                });
        assertThat(discrepancies).extracting(r -> r.get("order_id")).contains("'-2+3");
        List<CSVRecord> matches = records(out.resolve("matches.csv"));
        assertThat(matches).extracting(r -> r.get("ours") + " " + r.get("theirs"))
                .contains("'" + formula + " ch_3PA1001", "'-2+3 ch_3PA1002");
        for (CSVRecord row : concat(discrepancies, matches)) {
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                boolean negativeAmount = cell.matches("-\\d+(\\.\\d+)?")
                        && List.of("ours", "theirs", "difference").contains(row.getParser().getHeaderNames().get(i));
                assertThat(negativeAmount || cell.isEmpty() || "=+-@\t\r\n".indexOf(cell.charAt(0)) < 0)
                        .as("cell %s of %s", i, row).isTrue();
            }
        }
    }

    private static List<CSVRecord> records(Path file) throws IOException {
        try (CSVParser csv = CSVParser.parse(file, StandardCharsets.UTF_8,
                CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
            return csv.getRecords();
        }
    }

    private static List<CSVRecord> concat(List<CSVRecord> a, List<CSVRecord> b) {
        List<CSVRecord> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A Stripe balance-change report of three charges and a dispute on each (major units, as Stripe writes them). */
    private static final String DISPUTED_REPORT = String.join("\n",
            "balance_transaction_id,created_utc,created,available_on_utc,available_on,currency,gross,fee,net,"
                    + "reporting_category,source_id,description,customer_facing_amount,customer_facing_currency,"
                    + "automatic_payout_id,charge_id,payment_intent_id,payment_metadata[order_id]",
            "txn_c1,2026-05-04 08:13:02,2026-05-04 08:13:02,2026-05-06 00:00:00,2026-05-06 00:00:00,eur,25.00,0.00,"
                    + "25.00,charge,ch_cb1,Order CB-1,25.00,eur,,ch_cb1,pi_cb1,CB-1",
            "txn_c2,2026-05-04 09:13:02,2026-05-04 09:13:02,2026-05-06 00:00:00,2026-05-06 00:00:00,eur,40.00,0.00,"
                    + "40.00,charge,ch_cb2,Order CB-2,40.00,eur,,ch_cb2,pi_cb2,CB-2",
            "txn_c3,2026-05-04 10:13:02,2026-05-04 10:13:02,2026-05-06 00:00:00,2026-05-06 00:00:00,eur,30.00,0.00,"
                    + "30.00,charge,ch_cb3,Order CB-3,30.00,eur,,ch_cb3,pi_cb3,CB-3",
            "txn_d1,2026-05-05 08:00:00,2026-05-05 08:00:00,2026-05-07 00:00:00,2026-05-07 00:00:00,eur,-25.00,15.00,"
                    + "-40.00,dispute,dp_cb1,Chargeback,-25.00,eur,,ch_cb1,pi_cb1,CB-1",
            "txn_d2,2026-05-05 09:00:00,2026-05-05 09:00:00,2026-05-07 00:00:00,2026-05-07 00:00:00,eur,-40.00,15.00,"
                    + "-55.00,dispute,dp_cb2,Chargeback,-40.00,eur,,ch_cb2,pi_cb2,CB-2",
            "txn_d3,2026-05-05 10:00:00,2026-05-05 10:00:00,2026-05-07 00:00:00,2026-05-07 00:00:00,eur,-30.00,15.00,"
                    + "-45.00,dispute,dp_cb3,Chargeback,-30.00,eur,,ch_cb3,pi_cb3,CB-3", "");

    @Test
    void an_export_with_amount_charged_back_explains_the_disputes_it_records_and_names_both_amounts_otherwise(
            @TempDir Path in) throws IOException {
        Path report = in.resolve("stripe-balance-change.csv");
        Files.writeString(report, DISPUTED_REPORT);
        Path orders = in.resolve("orders.csv");
        // CB-1's lost dispute is recorded; CB-2's is not (blank); CB-3 records only part of its dispute
        Files.writeString(orders, "order_id,created_at,status,currency,amount_total,amount_paid,amount_refunded,"
                + "payment_reference,amount_charged_back\n"
                + "CB-1,2026-05-04T08:12:00Z,paid,EUR,25.00,25.00,0.00,pi_cb1,25.00\n"
                + "CB-2,2026-05-04T09:12:00Z,paid,EUR,40.00,40.00,0.00,pi_cb2,\n"
                + "CB-3,2026-05-04T10:12:00Z,paid,EUR,30.00,30.00,0.00,pi_cb3,10.00\n");
        int exit = Cli.run(new String[] {"audit", "--orders", orders.toString(), "--provider-report", report.toString(),
            "--out", out.toString()});
        assertThat(exit).as("stderr: %s", stderr).isZero();

        JsonNode json = new JsonMapper().readTree(out.resolve("report.json").toFile());
        assertThat(json.get("summary").get("problems_total").asLong()).isZero();
        assertThat(json.get("summary").get("chargebacks_recorded").asLong()).isEqualTo(1);
        assertThat(json.get("summary").get("orders_clean").asLong()).isEqualTo(1);
        assertThat(json.get("totals").get("orders").get("EUR").get("amount_charged_back").asString()).isEqualTo("35.00");
        List<CSVRecord> found = records(out.resolve("discrepancies.csv"));
        assertThat(found).extracting(r -> r.get("class") + " " + r.get("order_id") + " " + r.get("ours") + " "
                + r.get("theirs")).containsExactly("chargeback_not_recorded CB-2 0.00 40.00",
                "chargeback_not_recorded CB-3 10.00 30.00");
        assertThat(found.get(0).get("explanation")).contains("dp_cb2").contains("does not show it");
        assertThat(found.get(1).get("explanation")).contains("dp_cb3").contains("30.00 EUR")
                .contains("records only 10.00 EUR");

        // the same column under another name, through the mapping
        Path mapped = in.resolve("mapped.csv");
        Files.writeString(mapped, Files.readString(orders).replace("amount_charged_back", "Chargebacks"));
        Path mappedOut = in.resolve("mapped-out");
        assertThat(Cli.run(new String[] {"audit", "--orders", mapped.toString(), "--orders-mapping",
            "amount_charged_back=Chargebacks", "--provider-report", report.toString(), "--out", mappedOut.toString()}))
                .as("stderr: %s", stderr).isZero();
        assertThat(records(mappedOut.resolve("discrepancies.csv"))).extracting(r -> r.get("order_id"))
                .containsExactly("CB-2", "CB-3");

        // without the column the export records no chargeback (as before the column existed)
        Path without = in.resolve("without.csv");
        Files.writeString(without, Files.readString(orders).lines()
                .map(line -> line.substring(0, line.lastIndexOf(','))).collect(java.util.stream.Collectors.joining("\n", "", "\n")));
        Path withoutOut = in.resolve("without-out");
        assertThat(Cli.run(new String[] {"audit", "--orders", without.toString(), "--provider-report",
            report.toString(), "--out", withoutOut.toString()})).as("stderr: %s", stderr).isZero();
        assertThat(records(withoutOut.resolve("discrepancies.csv"))).extracting(r -> r.get("class") + " "
                + r.get("order_id")).containsExactly("chargeback_not_recorded CB-1", "chargeback_not_recorded CB-2",
                "chargeback_not_recorded CB-3");
    }

    @Test
    void unusable_input_exits_2_with_a_precise_message() {
        int exit = Cli.run(new String[] {"audit", "--orders", SAMPLES.resolve("stripe-balance-change.csv").toString(),
            "--provider-report", SAMPLES.resolve("stripe-balance-change.csv").toString(), "--out", out.toString()});
        assertThat(exit).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("stripe-balance-change.csv:1")
                .contains("missing columns order_id, created_at, status");

        stderr.reset();
        exit = Cli.run(new String[] {"audit", "--orders", SAMPLES.resolve("orders.csv").toString(),
            "--provider-report", SAMPLES.resolve("orders.csv").toString(), "--out", out.toString()});
        assertThat(exit).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("cannot tell which provider's report this is");

        stderr.reset();
        exit = Cli.run(new String[] {"audit", "--orders", SAMPLES.resolve("orders.csv").toString(),
            "--provider-report", SAMPLES.resolve("stripe-balance-change.csv").toString(), "--provider", "paypal",
            "--out", out.toString()});
        assertThat(exit).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("--provider 'paypal'");

        assertThat(Cli.run(new String[] {"audit", "--orders", "x.csv"})).as("picocli usage error").isEqualTo(2);
    }

    /** A copy of the file with a NUL character at the start of its third line. */
    private static Path withNul(Path source, Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(source);
        int newlines = 0;
        int at = bytes.length;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' && ++newlines == 2) {
                at = i + 1;
                break;
            }
        }
        byte[] copy = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, copy, 0, at);
        System.arraycopy(bytes, at, copy, at + 1, bytes.length - at);
        Path target = dir.resolve("nul-" + source.getFileName());
        Files.write(target, copy);
        return target;
    }

    @Test
    void a_nul_character_in_any_input_file_exits_2_naming_the_file_and_line(@TempDir Path in) throws IOException {
        Path orders = SAMPLES.resolve("orders.csv");
        Path report = SAMPLES.resolve("stripe-balance-change.csv");
        Path resources = Path.of("src/test/resources/reconciliation");
        List<String[]> cases = List.of(
                new String[] {"--orders", withNul(orders, in).toString(), "--provider-report", report.toString()},
                new String[] {"--orders", orders.toString(), "--provider-report", withNul(report, in).toString()},
                new String[] {"--orders", orders.toString(), "--provider-report", report.toString(), "--bank-statement",
                    withNul(resources.resolve("mt940.txt"), in).toString()},
                new String[] {"--orders", orders.toString(), "--provider-report", report.toString(), "--bank-statement",
                    withNul(resources.resolve("1c-utf8-bom.txt"), in).toString()},
                new String[] {"--orders", orders.toString(), "--provider-report", report.toString(), "--bank-statement",
                    withNul(SAMPLES.resolve("bank-camt053.xml"), in).toString()});
        for (String[] files : cases) {
            stderr.reset();
            List<String> args = new ArrayList<>(List.of("audit", "--out", out.toString()));
            args.addAll(List.of(files));
            int exit = Cli.run(args.toArray(String[]::new));
            String err = stderr.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(err).isEqualTo(2);
            assertThat(err).as("the file is named").contains("nul-");
            if (!err.contains(".xml")) {
                assertThat(err).as("the line is named").contains(":3:").contains("NUL");
            }
        }
    }

    @Test
    void yookassas_payment_and_refund_registries_are_audited_together_by_repeating_provider_report(@TempDir Path in)
            throws IOException {
        Path registries = Path.of("src/test/resources/reconciliation");
        Path orders = in.resolve("orders.csv");
        // the payments registry's rows of 1003 and 1004 are malformed on purpose (a comma decimal, an ISO time): rejected
        Files.writeString(orders, """
                order_id,created_at,status,currency,amount_total,amount_paid,amount_refunded,payment_reference
                1001,2026-05-04T06:59:00Z,partially_refunded,RUB,1500.00,1500.00,300.00,2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f
                1002,2026-05-04T20:29:00Z,paid,RUB,990.00,990.00,0.00,2f8c1a3f-000f-5000-a000-1a2b3c4d5e70
                """);
        String payments = registries.resolve("yookassa-payments.csv").toString();
        String refunds = registries.resolve("yookassa-refunds.csv").toString();

        assertThat(Cli.run(new String[] {"audit", "--orders", orders.toString(), "--provider-report", payments,
            "--out", out.toString()})).as("stderr: %s", stderr).isZero();
        List<String> paymentsOnly = discrepancyClassesOf("1001");
        assertThat(paymentsOnly).as("the refund of 1001 is in the refund registry only").isNotEmpty();

        assertThat(Cli.run(new String[] {"audit", "--orders", orders.toString(), "--provider-report", payments,
            "--provider-report", refunds, "--out", out.toString()})).as("stderr: %s", stderr).isZero();
        assertThat(discrepancyClassesOf("1001")).as("with both registries the refund is found").isEmpty();
        JsonNode report = new JsonMapper().readTree(out.resolve("report.json").toFile());
        assertThat(report.get("summary").get("discrepancies_total").asLong()).as("%s", report.get("discrepancies"))
                .isZero();

        stderr.reset();
        int mixed = Cli.run(new String[] {"audit", "--orders", orders.toString(), "--provider-report", payments,
            "--provider-report", SAMPLES.resolve("stripe-balance-change.csv").toString(), "--out", out.toString()});
        assertThat(mixed).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("one run reads one provider's reports");
    }

    private List<String> discrepancyClassesOf(String order) throws IOException {
        JsonNode report = new JsonMapper().readTree(out.resolve("report.json").toFile());
        List<String> classes = new ArrayList<>();
        report.get("discrepancies").forEach(d -> {
            if (order.equals(d.path("order_id").asString(null))) {
                classes.add(d.get("class").asString());
            }
        });
        return classes;
    }
}
