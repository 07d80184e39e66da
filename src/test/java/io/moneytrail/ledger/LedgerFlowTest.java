package io.moneytrail.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.money.Money;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The ledger as the payment flows write it, read back through the API. */
class LedgerFlowTest extends ApiTest {

    @Autowired
    Journal journal;

    @Autowired
    Balances balances;

    private String[] paidOrder(String method, String settled) {
        String order = api.createOrder(1250, 2).text("id"); // 2500 EUR incl. 451 VAT
        Api.Response payment = api.createPayment(order, method);
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/payments/" + payment.text("id"), r -> settled.equals(r.text("status")));
        return new String[] {order, payment.text("id")};
    }

    private JsonNode trail(String order) {
        return api.get("/v1/orders/" + order + "/ledger").expect(200).body();
    }

    private long balance(String order, String account) {
        JsonNode balancesNode = trail(order).path("balances");
        return balancesNode.path(account).asLong(0);
    }

    @Test
    void a_capture_posts_provider_against_customer_advances_in_the_same_transaction() {
        String[] ids = paidOrder("automatic", "captured");
        JsonNode trail = trail(ids[0]);
        assertThat(trail.path("entries")).hasSize(1);
        JsonNode entry = trail.path("entries").get(0).path("entry");
        assertThat(entry.path("source_type").asText()).isEqualTo("payment_transaction");
        assertThat(entry.path("lines").get(0).path("account").asText()).isEqualTo("assets:psp:sandbox");
        assertThat(entry.path("lines").get(0).path("debit").asLong()).isEqualTo(2500);
        assertThat(entry.path("lines").get(1).path("account").asText()).isEqualTo("liabilities:customer_advances");
        assertThat(entry.path("lines").get(1).path("credit").asLong()).isEqualTo(2500);
        long captureFacts = jdbc.sql("select count(*) from payment_transactions where order_id = :o and kind = 'capture'")
                .param("o", ids[0]).query(Long.class).single();
        assertThat(captureFacts).isEqualTo(trail.path("entries").size());
    }

    @Test
    void authorisation_and_void_post_nothing() {
        String[] ids = paidOrder("manual", "authorized");
        assertThat(trail(ids[0]).path("entries")).isEmpty();
        api.post("/v1/payments/" + ids[1] + "/cancel", null).expect(200);
        assertThat(trail(ids[0]).path("entries")).isEmpty();
    }

    @Test
    void fulfilment_recognises_revenue_and_vat_then_a_refund_is_a_sales_return() {
        String[] ids = paidOrder("automatic", "captured");
        api.post("/v1/orders/" + ids[0] + "/fulfill", null).expect(200);
        assertThat(balance(ids[0], "liabilities:customer_advances")).isZero();
        assertThat(balance(ids[0], "income:sales")).isEqualTo(-2049);
        assertThat(balance(ids[0], "liabilities:vat_payable")).isEqualTo(-451);

        api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\",\"amount\":1000}").expect(200);
        assertThat(balance(ids[0], "income:sales_returns")).isEqualTo(820);
        assertThat(balance(ids[0], "liabilities:vat_payable")).isEqualTo(-451 + 180);
        assertThat(balance(ids[0], "assets:psp:sandbox")).isEqualTo(1500);
        // each entry (capture, fulfilment, refund) carries its order's creation instant and its own movement on
        // the provider account (V36), as the reconciliation run's range read takes them
        assertThat(jdbc.sql("""
                        select e.source_type, e.order_created_at = o.created_at, e.psp_currency, e.psp_minor
                        from journal_entries e join orders o on o.id = e.order_id
                        where e.order_id = :o order by e.effective_at, e.id
                        """).param("o", ids[0])
                .query((rs, n) -> rs.getString(1) + " " + rs.getBoolean(2) + " " + rs.getString(3) + " "
                        + (rs.getObject(4) == null ? "null" : rs.getLong(4)))
                .list())
                .containsExactly("payment_transaction true EUR 2500", "order_fulfilment true null null",
                        "payment_transaction true EUR -1000");
    }

    @Test
    void a_fulfilled_order_refunded_in_three_parts_leaves_no_vat_payable() {
        // 2500 with 451 VAT as 833 + 833 + 834: 150.3 -> 150 per part would leave 1 of VAT payable
        String[] ids = paidOrder("automatic", "captured");
        api.post("/v1/orders/" + ids[0] + "/fulfill", null).expect(200);
        for (long part : new long[] {833, 833, 834}) {
            api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\",\"amount\":" + part + "}").expect(200);
        }
        assertThat(balance(ids[0], "liabilities:vat_payable")).isZero();
        assertThat(balance(ids[0], "income:sales_returns")).isEqualTo(2049);
        assertThat(balance(ids[0], "income:sales")).isEqualTo(-2049);
        assertThat(balance(ids[0], "assets:psp:sandbox")).isZero();
    }

    @Test
    void a_refund_before_fulfilment_gives_back_the_advance_and_the_ledger_agrees_with_the_status() {
        String[] ids = paidOrder("automatic", "captured");
        api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\",\"amount\":700}").expect(200);
        JsonNode trail = trail(ids[0]);
        assertThat(trail.path("payment_status").asText()).isEqualTo("partially_refunded");
        Api.Response order = api.get("/v1/orders/" + ids[0]);
        long net = order.number("amount_captured") - order.number("amount_refunded");
        assertThat(-balance(ids[0], "liabilities:customer_advances")).isEqualTo(net).isEqualTo(1800);
        assertThat(balance(ids[0], "assets:psp:sandbox")).isEqualTo(net);
        // running balances step by step
        assertThat(trail.path("entries").get(0).path("running_balances").path("liabilities:customer_advances").asLong())
                .isEqualTo(-2500);
        assertThat(trail.path("entries").get(1).path("running_balances").path("liabilities:customer_advances").asLong())
                .isEqualTo(-1800);
    }

    @Test
    void a_fact_and_its_entry_commit_together_or_not_at_all() {
        String order = api.createOrder(3300, 1).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        ConnectionKiller.ARMED_FOR_ORDER.set(order);
        try {
            api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
            // the webhook is received, the capture written, then the connection dies before the entry
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (jdbc.sql("select count(*) from webhook_inbox where provider_payment_id = :p and status = 'failed'")
                    .param("p", payment.text("provider_payment_id")).query(Long.class).single() == 0) {
                assertThat(System.nanoTime()).as("webhook processing attempted").isLessThan(deadline);
                Api.sleep(50);
            }
            assertThat(jdbc.sql("select count(*) from payment_transactions where order_id = :o").param("o", order)
                    .query(Long.class).single()).as("no fact survived").isZero();
            assertThat(jdbc.sql("select count(*) from journal_entries where order_id = :o").param("o", order)
                    .query(Long.class).single()).as("no entry survived").isZero();
            assertThat(api.get("/v1/orders/" + order).text("payment_status")).isEqualTo("pending");
        } finally {
            ConnectionKiller.ARMED_FOR_ORDER.set(null);
        }
        // the stored webhook is retried and now both are written
        api.eventually("/v1/orders/" + order, r -> "paid".equals(r.text("payment_status")));
        assertThat(jdbc.sql("select count(*) from journal_entries where order_id = :o").param("o", order)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void posting_the_same_source_twice_returns_the_first_entry_and_different_content_is_an_error() {
        String source = "txn_test_" + UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        JournalEntry first = journal.post(PostingRules.capture(source, null, "sandbox", Money.of(100, "EUR"), at));
        JournalEntry again = journal.post(PostingRules.capture(source, null, "sandbox", Money.of(100, "EUR"), at));
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(jdbc.sql("select count(*) from journal_entries where source_id = :s").param("s", source)
                .query(Long.class).single()).isEqualTo(1);
        assertThatThrownBy(() -> journal.post(PostingRules.capture(source, null, "sandbox", Money.of(101, "EUR"), at)))
                .hasMessageContaining("already posted").extracting("code").isEqualTo("source_already_posted");
    }

    @Test
    void a_reversal_mirrors_the_entry_links_to_it_happens_once_and_a_retry_returns_it() {
        String source = "adj_test_" + UUID.randomUUID();
        JournalEntry original = journal.post(PostingRules.adjustment(source, null, List.of(
                Posting.debit("assets:suspense", Money.of(990, "RUB")),
                Posting.credit("liabilities:suspense", Money.of(990, "RUB"))), "ann", "test", Instant.now()));
        JournalEntry reversal = journal.reverse(original.id(), "bob", "entered twice");
        assertThat(reversal.reverses()).isEqualTo(original.id());
        assertThat(reversal.lines()).extracting(JournalEntry.Line::amountMinor).containsExactly(-990L, 990L);
        assertThat(reversal.actor()).isEqualTo("bob");
        assertThat(journal.reverse(original.id(), "bob", "entered twice").id())
                .as("a retry of the same reversal returns it").isEqualTo(reversal.id());
        assertThatThrownBy(() -> journal.reverse(original.id(), "bob", "again")).hasMessageContaining("already reversed")
                .extracting("code").isEqualTo("entry_already_reversed");
        assertThat(jdbc.sql("select count(*) from journal_entries where reverses = :e").param("e", original.id())
                .query(Long.class).single()).isEqualTo(1);
        assertThatThrownBy(() -> journal.reverse(reversal.id(), "bob", "undo")).hasMessageContaining("itself a reversal");
    }

    @Test
    void balance_as_of_a_past_instant_counts_only_earlier_entries() {
        String account = "assets:bank:test_" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
        api.post("/v1/ledger/adjustments", """
                {"lines":[{"account":"%s","direction":"debit","amount":500,"currency":"EUR"},
                          {"account":"equity:opening_balances","direction":"credit","amount":500,"currency":"EUR"}],
                 "reason":"opening","effective_at":"2026-01-01T00:00:00Z"}""".formatted(account))
                .expect(400); // the account does not exist yet
        jdbc.sql("insert into ledger_accounts (code, type, name) values (:c, 'asset', 'test bank')").param("c", account)
                .update();
        for (String[] step : new String[][] {{"2026-01-01T00:00:00Z", "500"}, {"2026-02-01T00:00:00Z", "300"}}) {
            api.post("/v1/ledger/adjustments", """
                    {"lines":[{"account":"%s","direction":"debit","amount":%s,"currency":"EUR"},
                              {"account":"equity:opening_balances","direction":"credit","amount":%s,"currency":"EUR"}],
                     "reason":"deposit","effective_at":"%s"}""".formatted(account, step[1], step[1], step[0]))
                    .expect(200);
        }
        assertThat(api.get("/v1/ledger/accounts/" + account + "/balance?as_of=2025-12-31").expect(200)
                .body().path("balances")).isEmpty();
        assertThat(api.get("/v1/ledger/accounts/" + account + "/balance?as_of=2026-01-15").expect(200)
                .body().path("balances").get(0).path("balance").asLong()).isEqualTo(500);
        assertThat(api.get("/v1/ledger/accounts/" + account + "/balance?as_of=2026-02-01T00:00:00Z").expect(200)
                .body().path("balances").get(0).path("balance").asLong()).isEqualTo(800);
        assertThat(api.get("/v1/ledger/accounts/" + account + "/balance").body().path("balances").get(0)
                .path("debits").asLong()).isEqualTo(800);
        assertThat(balances.account(account, Instant.parse("2026-01-31T23:59:59Z")).get(0).balanceMinor()).isEqualTo(500);
    }

    @Test
    void the_trial_balance_sums_to_zero_and_health_reports_it() {
        paidOrder("automatic", "captured");
        Api.Response trial = api.get("/v1/ledger/trial-balance").expect(200);
        assertThat(trial.body().path("balanced").asBoolean()).isTrue();
        trial.body().path("totals").properties().forEach(total -> assertThat(total.getValue().asLong()).isZero());
        Api.Response health = api.get("/actuator/health/ledger").expect(200);
        assertThat(health.text("status")).isEqualTo("UP");
    }

    @Test
    void adjustments_are_idempotent_by_reference_and_refuse_bad_lines() {
        String reference = "adj-" + UUID.randomUUID();
        String body = """
                {"lines":[{"account":"expenses:adjustments","direction":"debit","amount":42,"currency":"EUR"},
                          {"account":"assets:suspense","direction":"credit","amount":42,"currency":"EUR"}],
                 "reason":"cash count difference","reference":"%s"}""".formatted(reference);
        Api.Response first = api.post("/v1/ledger/adjustments", body).expect(200);
        // who acted is the authenticated key, not a name in the body
        assertThat(first.text("actor")).matches(".* \\(key_[0-9a-z]{26}, admin\\)");
        assertThat(first.text("reason")).isEqualTo("cash count difference");
        Api.Response second = api.post("/v1/ledger/adjustments", body).expect(200);
        assertThat(second.text("id")).isEqualTo(first.text("id"));
        assertThat(api.post("/v1/ledger/adjustments", body.replace("\"amount\":42", "\"amount\":43")).status())
                .isEqualTo(409);

        long before = jdbc.sql("select count(*) from journal_entries").query(Long.class).single();
        assertThat(api.post("/v1/ledger/adjustments", """
                {"lines":[{"account":"expenses:adjustments","direction":"debit","amount":42,"currency":"EUR"},
                          {"account":"assets:suspense","direction":"credit","amount":41,"currency":"EUR"}],
                 "reason":"x"}""").expect(400).errorCode()).isEqualTo("entry_unbalanced");
        assertThat(api.post("/v1/ledger/adjustments", """
                {"lines":[{"account":"assets:nowhere","direction":"debit","amount":42,"currency":"EUR"},
                          {"account":"assets:suspense","direction":"credit","amount":42,"currency":"EUR"}],
                 "reason":"x"}""").expect(400).errorParam()).isEqualTo("lines[0][account]");
        assertThat(api.post("/v1/ledger/adjustments", """
                {"lines":[{"account":"expenses:adjustments","direction":"debit","amount":42,"currency":"EUR"},
                          {"account":"assets:suspense","direction":"credit","amount":42,"currency":"USD"}],
                 "reason":"x"}""").expect(400).errorCode()).isEqualTo("currency_mixed");
        assertThat(api.post("/v1/ledger/adjustments", """
                {"lines":[{"account":"expenses:adjustments","direction":"debit","amount":0,"currency":"EUR"},
                          {"account":"assets:suspense","direction":"credit","amount":0,"currency":"EUR"}],
                 "reason":"x"}""").expect(400).errorParam()).isEqualTo("lines[0][amount]");
        assertThat(api.post("/v1/ledger/adjustments", """
                {"lines":[{"account":"expenses:adjustments","direction":"debit","amount":-5,"currency":"EUR"},
                          {"account":"assets:suspense","direction":"credit","amount":-5,"currency":"EUR"}],
                 "reason":"x"}""").expect(400).errorParam()).isEqualTo("lines[0][amount]");
        assertThat(api.post("/v1/ledger/adjustments", """
                {"lines":[{"account":"expenses:adjustments","direction":"up","amount":5,"currency":"EUR"},
                          {"account":"assets:suspense","direction":"credit","amount":5,"currency":"EUR"}],
                 "reason":"x"}""").expect(400).errorParam()).isEqualTo("lines[0][direction]");
        assertThat(jdbc.sql("select count(*) from journal_entries").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void ledger_queries_answer_bad_input_with_400_and_unknown_accounts_with_404() {
        assertThat(api.get("/v1/ledger/trial-balance?as_of=yesterday").expect(400).errorParam()).isEqualTo("as_of");
        assertThat(api.get("/v1/ledger/accounts/assets:psp:sandbox/balance?as_of=2026-13-45").expect(400).errorParam())
                .isEqualTo("as_of");
        assertThat(api.get("/v1/ledger/accounts/assets:nowhere/balance").expect(404).errorParam()).isEqualTo("account");
        assertThat(api.get("/v1/ledger/entries?limit=0").expect(400).errorParam()).isEqualTo("limit");
        assertThat(api.get("/v1/ledger/accounts").expect(200).body().path("data").size()).isGreaterThanOrEqualTo(12);
        assertThat(api.get("/v1/ledger/accounts").raw()).as("an account added by configuration")
                .contains("assets:bank:configured");
    }

    @Test
    void entries_are_listed_by_order_and_account_with_a_cursor() {
        String[] ids = paidOrder("automatic", "captured");
        api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\",\"amount\":100}").expect(200);
        Api.Response page = api.get("/v1/ledger/entries?order=" + ids[0] + "&limit=1").expect(200);
        assertThat(page.body().path("has_more").asBoolean()).isTrue();
        String first = page.body().path("data").get(0).path("id").asText();
        Api.Response next = api.get("/v1/ledger/entries?order=" + ids[0] + "&limit=1&starting_after=" + first).expect(200);
        assertThat(next.body().path("data").get(0).path("id").asText()).isGreaterThan(first);
        assertThat(next.body().path("has_more").asBoolean()).isFalse();
        Api.Response byAccount = api.get("/v1/ledger/entries?account=assets:psp:sandbox&order=" + ids[0]).expect(200);
        assertThat(byAccount.body().path("data")).hasSize(2);
    }
}
