package io.moneytrail.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.ledger.export.BeancountAccounts;
import io.moneytrail.money.Money;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import io.moneytrail.testing.LedgerTools;
import io.moneytrail.testing.RequiresTool;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The real tools accept the exports and compute from them the balances Moneytrail computes.
 * Ledger activity comes through the API (captures, refunds before and after fulfilment, a
 * fulfilment with VAT) and through the journal directly (fees, a payout, an adjustment with
 * awkward text and its reversal, JPY and KWD). Other test classes write to the same database
 * at any time, so every export and the balances it is compared with are read in one
 * repeatable-read snapshot, and Moneytrail's side is restricted to the exported range: the
 * trial balance at the range's end minus the trial balance just before its start.
 */
class LedgerExportToolsTest extends ApiTest {

    static final Path DIRECTORY = Path.of("target/ledger-exports");
    private static final String BANK = "assets:bank:_export_test";
    private static boolean activityCreated;

    @Autowired
    LedgerExport exports;
    @Autowired
    Balances balances;
    @Autowired
    Journal journal;
    @Autowired
    Accounts accounts;
    @Autowired
    PlatformTransactionManager transactions;

    private final LocalDate from = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    private final LocalDate to = LocalDate.now(ZoneOffset.UTC).plusDays(1);

    @BeforeEach
    void activity() {
        if (!activityCreated) {
            createActivity();
            activityCreated = true;
        }
    }

    @Test
    @RequiresTool("hledger")
    void hledger_accepts_the_journal_strictly_and_reports_the_same_balances_as_the_trial_balance() {
        Exported exported = export(LedgerExport.Format.HLEDGER, UnaryOperator.identity());
        LedgerTools.run("hledger", "-f", exported.file.toString(), "check", "--strict", "ordereddates").accepted();

        TreeMap<String, BigDecimal> reported = LedgerTools.hledgerBalances(exported.file);

        assertThat(reported).isEqualTo(exported.expected);
        assertThat(reported).containsKeys("assets:psp:sandbox EUR", "assets:psp:sandbox JPY", "assets:psp:sandbox KWD",
                "income:sales EUR", "income:sales_returns EUR", "liabilities:vat_payable EUR", "expenses:psp_fees JPY",
                BANK + " EUR");
    }

    @Test
    @RequiresTool("ledger")
    void ledger_accepts_the_journal_pedantically_and_reports_the_same_balances_as_the_trial_balance() {
        Exported exported = export(LedgerExport.Format.LEDGER, UnaryOperator.identity());

        TreeMap<String, BigDecimal> reported = LedgerTools.ledgerBalances(exported.file);

        assertThat(reported).isEqualTo(exported.expected);
        assertThat(reported).containsKeys("assets:psp:sandbox JPY", "assets:psp:sandbox KWD",
                "liabilities:customer_advances KWD", "income:sales JPY");
    }

    @Test
    @RequiresTool({"bean-check", "bean-query"})
    void beancount_checks_the_file_and_reports_the_same_balances_under_the_mapped_account_names() {
        Exported exported = export(LedgerExport.Format.BEANCOUNT, BeancountAccounts::name);
        LedgerTools.run("bean-check", exported.file.toString()).accepted();

        TreeMap<String, BigDecimal> reported = LedgerTools.beancountBalances(exported.file);

        assertThat(reported).isEqualTo(exported.expected);
        assertThat(reported).containsKeys("Assets:Psp:Sandbox JPY", "Liabilities:Customer-Advances KWD",
                "Income:Sales-Returns EUR", "Liabilities:Vat-Payable EUR", "Assets:Bank:XX-Export-Test EUR");
    }

    @Test
    void awkward_descriptions_survive_every_format_escaped() throws IOException {
        Exported hledger = export(LedgerExport.Format.HLEDGER, UnaryOperator.identity());
        Exported beancount = export(LedgerExport.Format.BEANCOUNT, BeancountAccounts::name);

        String journalText = Files.readString(hledger.file);
        assertThat(journalText).contains("adjustment by ops \"ann\": typo, fix \"x\" \\ y :tag: here second line")
                .contains("    ; source: adjustment:")
                .contains("account " + BANK + "\n    ; Export test bank: \"odd\" ; name")
                .endsWith(" postings\n");
        assertThat(Files.readString(beancount.file))
                .contains("* \"adjustment by ops \\\"ann\\\": typo; fix \\\"x\\\" \\\\ y :tag: here second line\"")
                .contains("  reason: \"typo; fix \\\"x\\\" \\\\ y :tag: here second line\"");
    }

    @Test
    @RequiresTool("bean-query")
    void beancount_reads_an_awkward_description_back_as_it_was_on_one_line() {
        Exported beancount = export(LedgerExport.Format.BEANCOUNT, BeancountAccounts::name);

        String printed = LedgerTools.run("bean-query", "-f", "csv", beancount.file.toString(),
                "SELECT DISTINCT narration WHERE narration ~ 'adjustment by ops'").accepted().stdout();
        assertThat(printed).contains("adjustment by ops \"\"ann\"\": typo; fix \"\"x\"\" \\ y :tag: here second line");
    }

    // ------------------------------------------------------------------ helpers

    private record Exported(Path file, LedgerExport.ExportSummary summary, TreeMap<String, BigDecimal> expected) {
    }

    /**
     * Exports the range to a file and reads, in the same snapshot, Moneytrail's balances of
     * the range per "account currency" (non-zero ones), the account named for the tool.
     */
    private Exported export(LedgerExport.Format format, UnaryOperator<String> accountName) {
        TransactionTemplate snapshot = new TransactionTemplate(transactions);
        snapshot.setReadOnly(true);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        return snapshot.execute(status -> {
            try {
                Files.createDirectories(DIRECTORY);
                Path file = DIRECTORY.resolve("tools-" + from + "-" + to + "." + format.extension());
                LedgerExport.ExportSummary summary;
                try (OutputStream out = Files.newOutputStream(file)) {
                    summary = exports.write(format, from, to, out);
                }
                Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1000);
                Instant beforeStart = from.atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1000);
                TreeMap<String, BigDecimal> expected = new TreeMap<>();
                add(expected, balances.trialBalance(end), 1, accountName);
                add(expected, balances.trialBalance(beforeStart), -1, accountName);
                expected.values().removeIf(value -> value.signum() == 0);
                expected.replaceAll((key, value) -> value.stripTrailingZeros());
                assertThat(summary.entries()).as("entries exported").isPositive();
                return new Exported(file, summary, expected);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void add(TreeMap<String, BigDecimal> sums, Balances.TrialBalance trial, int sign,
                            UnaryOperator<String> accountName) {
        for (Balances.Balance balance : trial.accounts()) {
            int exponent = Currency.getInstance(balance.currency()).getDefaultFractionDigits();
            BigDecimal amount = BigDecimal.valueOf(sign * balance.balanceMinor(), exponent);
            sums.merge(accountName.apply(balance.account()) + " " + balance.currency(), amount, BigDecimal::add);
        }
    }

    private void createActivity() {
        String unique = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Instant now = Instant.now();

        // EUR through the API: a refund before fulfilment; a fulfilment with VAT and a refund after it
        String[] early = paidOrder();
        api.post("/v1/refunds", "{\"payment\":\"" + early[1] + "\",\"amount\":400}").expect(200);
        String[] late = paidOrder();
        api.post("/v1/orders/" + late[0] + "/fulfill", null).expect(200);
        api.post("/v1/refunds", "{\"payment\":\"" + late[1] + "\",\"amount\":1000}").expect(200);

        // a fee, a payout to a bank account with an awkward code and name, an adjustment and its reversal
        journal.post(PostingRules.providerFee("fee_" + unique, late[0], "sandbox", Money.of(75, "EUR"), now));
        accounts.open(BANK, "Export test bank: \"odd\" ; name");
        journal.post(PostingRules.payout("po_" + unique, "sandbox", BANK, Money.of(1000, "EUR"), now));
        JournalEntry adjustment = journal.post(PostingRules.adjustment("adj_" + unique, null,
                List.of(Posting.debit("expenses:adjustments", Money.of(123, "EUR")),
                        Posting.credit("liabilities:suspense", Money.of(123, "EUR"))),
                "ops \"ann\"", "typo; fix \"x\" \\ y :tag: here\nsecond line", now));
        journal.reverse(adjustment.id(), "ops", "entered twice");

        // JPY (no minor unit) and KWD (three decimals) straight through the journal
        String jpyOrder = "ord_jpy_" + unique;
        journal.post(PostingRules.capture("txn_jpy_" + unique, jpyOrder, "sandbox", Money.of(15000, "JPY"), now));
        journal.post(PostingRules.providerFee("fee_jpy_" + unique, jpyOrder, "sandbox", Money.of(120, "JPY"), now));
        journal.post(PostingRules.fulfilment(jpyOrder, Money.of(15000, "JPY"), 1364, now));
        String kwdOrder = "ord_kwd_" + unique;
        journal.post(PostingRules.capture("txn_kwd_" + unique, kwdOrder, "sandbox", Money.of(12345, "KWD"), now));
        journal.post(PostingRules.refundBeforeFulfilment("txn_kwd_r_" + unique, kwdOrder, "sandbox",
                Money.of(1005, "KWD"), now));
    }

    /** An order of 2 x 12.50 EUR paid through the sandbox page; returns {order, payment}. */
    private String[] paidOrder() {
        String order = api.createOrder(1250, 2).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/orders/" + order, r -> "paid".equals(r.text("payment_status")));
        return new String[] {order, payment.text("id")};
    }
}
