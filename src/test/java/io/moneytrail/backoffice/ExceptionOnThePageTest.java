package io.moneytrail.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.reconciliation.Discrepancy;
import io.moneytrail.reconciliation.DiscrepancyClass;
import io.moneytrail.reconrun.ReconExceptions;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.RequiresTool;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Reconciliation exceptions on {@code /admin/reconciliation}: an accountant acknowledges one and
 * resolves it with a linked adjustment; the history shows both steps, the entry is in the ledger
 * and the audit log; the other paths (ignore with a reason, a viewer refused) over plain HTTP.
 */
class ExceptionOnThePageTest extends BackofficeTest {

    @Autowired
    ReconExceptions exceptions;

    /** An open exception of a run made for the test (the engine's runs are tested in reconrun). */
    private String openException(long ours, long theirs) {
        String run = "rr_test" + System.nanoTime();
        jdbc.sql("""
                        insert into recon_runs (id, period_from, period_to, trigger, inputs, status, started_at)
                        values (:id, :d, :d, 'api', '{}'::jsonb, 'succeeded', :now)""")
                .param("id", run).param("d", LocalDate.of(2026, 11, 30))
                .param("now", Timestamp.from(Instant.now())).update();
        String payment = "pay_test" + System.nanoTime();
        Discrepancy d = Discrepancy.of(DiscrepancyClass.REFUND_AT_PROVIDER_NOT_RECORDED).payment(payment)
                .refund("re_" + payment).currency("EUR").ours(ours).theirs(theirs).build();
        return exceptions.record(d, """
                {"provider_payment_id":"%s","currency":"EUR","ours":%d,"theirs":%d}""".formatted(payment, ours, theirs),
                run);
    }

    @Test
    @RequiresTool({"chromium", "chromedriver"})
    void an_exception_resolved_with_a_linked_adjustment() {
        String id = openException(0, 1250);
        Login accountant = user("accountant");
        WebDriver browser = Browser.loginAs(base(), accountant.username(), accountant.password());
        browser.get(base() + "/admin/reconciliation");
        Browser.clickAndLoad(browser, By.linkText(id));
        assertThat(browser.findElement(By.id("exception-status")).getText()).isEqualTo("open");
        assertThat(browser.findElement(By.id("history")).getText()).contains("opened");
        browser.findElement(By.id("ack-reason")).sendKeys("looking at the provider's refund");
        Browser.check(browser, "accountant-exception-open");
        Browser.clickAndLoad(browser, By.id("acknowledge"));
        assertThat(browser.findElement(By.id("exception-status")).getText()).isEqualTo("acknowledged");

        browser.findElement(By.id("resolve-reason")).sendKeys("refund made in the provider's dashboard");
        new Select(browser.findElement(By.id("debit"))).selectByValue("expenses:adjustments");
        new Select(browser.findElement(By.id("credit"))).selectByValue("assets:psp:sandbox");
        browser.findElement(By.id("amount")).sendKeys("12.50");
        Browser.check(browser, "accountant-exception-acknowledged");
        Browser.clickAndLoad(browser, By.id("resolve"));

        assertThat(browser.findElement(By.cssSelector(".notice.ok")).getText()).startsWith("Resolved.")
                .contains("journal entry je_");
        assertThat(browser.findElement(By.id("exception-status")).getText()).isEqualTo("resolved");
        String entry = browser.findElement(By.id("linked-entry")).getText();
        assertThat(entry).startsWith("je_");
        String history = browser.findElement(By.id("history")).getText();
        assertThat(history).contains("acknowledged").contains("resolved").contains(accountant.username())
                .contains("refund made in the provider's dashboard").contains(entry);
        assertThat(browser.findElements(By.id("resolve"))).isEmpty();
        Browser.check(browser, "accountant-exception-resolved");

        assertThat(api.get("/v1/reconciliation/exceptions/" + id).expect(200).text("status")).isEqualTo("resolved");
        assertThat(jdbc.sql("""
                        select count(*) from journal_lines where entry_id = :e and
                          ((account_code = 'expenses:adjustments' and amount_minor = 1250)
                           or (account_code = 'assets:psp:sandbox' and amount_minor = -1250))""")
                .param("e", entry).query(Long.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("""
                        select action from audit_log where object_id = :id and actor_id = :user order by occurred_at, id""")
                .param("id", id).param("user", accountant.username()).query(String.class).list())
                .containsExactly("reconciliation.exception.acknowledge", "reconciliation.exception.resolve");
    }

    @Test
    void a_linked_adjustment_above_the_four_eyes_threshold_is_proposed_and_the_exception_waits_for_its_approval() {
        // ApiTest sets moneytrail.ledger.approval-above to 100000000: 1,000,000.50 EUR needs a second person
        String id = openException(0, 100_000_050);
        Session accountant = new Session(base());
        accountant.login(user("accountant").username(), user("accountant").password());
        String path = "/admin/reconciliation/exceptions/" + id;
        Session.Page page = accountant.get(path);
        accountant.post(path + "/acknowledge", Map.of("_csrf", page.csrf(), "key", page.oneTimeKey()));
        page = accountant.get(path);
        Map<String, String> resolve = new java.util.HashMap<>(Map.of("_csrf", page.csrf(), "key", page.oneTimeKey(),
                "reason", "refund made in the provider's dashboard", "debit", "expenses:adjustments",
                "credit", "assets:psp:sandbox", "amount", "1000000.50", "currency", "EUR"));
        assertThat(accountant.post(path + "/resolve", resolve).status()).isEqualTo(302);
        page = accountant.get(path);
        assertThat(page.body()).contains("is proposed as lap_").contains("id=\"pending-proposal\"")
                .doesNotContain("id=\"resolve\"").doesNotContain("id=\"ignore\"");
        assertThat(api.get("/v1/reconciliation/exceptions/" + id).expect(200).text("status")).isEqualTo("acknowledged");
        String proposal = api.get("/v1/reconciliation/exceptions/" + id).text("pending_adjustment");
        assertThat(proposal).startsWith("lap_");
        assertThat(jdbc.sql("select count(*) from journal_entries where source_id like :ref")
                .param("ref", ReconExceptions.ADJUSTMENT_REFERENCE + id + ":%").query(Long.class).single())
                .as("nothing posted before the approval").isZero();
        // the same resolution again, through the API, is refused while the first waits
        assertThat(api.post("/v1/reconciliation/exceptions/" + id + "/resolve", "{\"reason\":\"again\"}").status())
                .isEqualTo(409);

        // the proposer may not approve it; an admin does, and that resolves the exception with the posted entry
        assertThat(api.get("/v1/ledger/adjustments/" + proposal).text("status")).isEqualTo("proposed");
        Session admin = new Session(base());
        admin.login("admin", admin().password());
        Session.Page confirm = admin.get("/admin/ledger/adjustments/" + proposal + "/approve");
        assertThat(admin.post("/admin/ledger/adjustments/" + proposal + "/approve", Map.of("_csrf", confirm.csrf(),
                "key", confirm.oneTimeKey())).status()).isEqualTo(302);
        var resolved = api.get("/v1/reconciliation/exceptions/" + id).expect(200);
        assertThat(resolved.text("status")).isEqualTo("resolved");
        assertThat(resolved.text("resolution")).isEqualTo("refund made in the provider's dashboard");
        String entry = resolved.text("ledger_entry");
        assertThat(entry).startsWith("je_");
        assertThat(resolved.text("pending_adjustment")).isNull();
        assertThat(jdbc.sql("select action from recon_exception_events where exception_id = :id order by id")
                .param("id", id).query(String.class).list())
                .containsExactly("opened", "acknowledged", "resolution_proposed", "resolved");
        assertThat(accountant.get(path).body()).contains(entry).contains(proposal);
        assertThat(jdbc.sql("select count(*) from journal_lines where entry_id = :e and amount_minor = 100000050"
                        + " and account_code = 'expenses:adjustments'").param("e", entry).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void through_the_api_a_resolution_above_the_threshold_answers_202_and_a_rejection_leaves_it_acknowledged() {
        String id = openException(0, 100_000_100);
        api.post("/v1/reconciliation/exceptions/" + id + "/acknowledge", "{}").expect(200);
        Api.Response proposed = api.post("/v1/reconciliation/exceptions/" + id + "/resolve", """
                {"reason":"provider refund","adjustment":{"lines":[
                  {"account":"expenses:adjustments","direction":"debit","amount":100000100,"currency":"EUR"},
                  {"account":"liabilities:suspense","direction":"credit","amount":100000100,"currency":"EUR"}]}}""");
        assertThat(proposed.status()).as(proposed.raw()).isEqualTo(202);
        assertThat(proposed.text("status")).isEqualTo("acknowledged");
        String proposal = proposed.text("pending_adjustment");
        assertThat(proposal).startsWith("lap_");
        Session accountant = new Session(base());
        accountant.login(user("accountant").username(), user("accountant").password());
        Session.Page confirm = accountant.get("/admin/ledger/adjustments/" + proposal + "/reject");
        accountant.post("/admin/ledger/adjustments/" + proposal + "/reject", Map.of("_csrf", confirm.csrf(),
                "key", confirm.oneTimeKey(), "reason", "the provider never refunded"));
        Api.Response after = api.get("/v1/reconciliation/exceptions/" + id).expect(200);
        assertThat(after.text("status")).isEqualTo("acknowledged");
        assertThat(after.text("pending_adjustment")).isNull();
        assertThat(after.text("ledger_entry")).isNull();
        assertThat(jdbc.sql("select action from recon_exception_events where exception_id = :id order by id")
                .param("id", id).query(String.class).list())
                .containsExactly("opened", "acknowledged", "resolution_proposed", "resolution_rejected");
        // and it can be resolved again (here without money)
        api.post("/v1/reconciliation/exceptions/" + id + "/resolve", "{\"reason\":\"written off\"}").expect(200);
    }

    @Test
    void an_exception_is_ignored_with_a_reason_once_and_a_viewer_may_not_act() {
        String id = openException(100, 90);
        Session accountant = new Session(base());
        accountant.login(user("accountant").username(), user("accountant").password());
        Session.Page page = accountant.get("/admin/reconciliation/exceptions/" + id);
        assertThat(page.status()).isEqualTo(200);
        String path = "/admin/reconciliation/exceptions/" + id;
        assertThat(accountant.post(path + "/acknowledge", Map.of("_csrf", page.csrf(), "key", page.oneTimeKey()))
                .status()).isEqualTo(302);
        page = accountant.get(path);
        // ignore needs a reason: refused, nothing changes
        accountant.post(path + "/ignore", Map.of("_csrf", page.csrf(), "key", "k1-" + System.nanoTime()));
        assertThat(accountant.get(path).body()).contains("say why");
        Map<String, String> ignore = Map.of("_csrf", page.csrf(), "key", "k2-" + System.nanoTime(),
                "reason", "rounding at the provider");
        assertThat(accountant.post(path + "/ignore", ignore).status()).isEqualTo(302);
        assertThat(accountant.get(path).body()).contains("Ignored.");
        assertThat(accountant.post(path + "/ignore", ignore).status()).isEqualTo(302);
        assertThat(accountant.get(path).body()).contains("This form was already sent");
        assertThat(api.get("/v1/reconciliation/exceptions/" + id).text("status")).isEqualTo("ignored");
        assertThat(jdbc.sql("select count(*) from recon_exception_events where exception_id = :id and action = 'ignored'")
                .param("id", id).query(Long.class).single()).isEqualTo(1);

        String other = openException(5, 6);
        Session viewer = new Session(base());
        viewer.login(user("viewer").username(), user("viewer").password());
        Session.Page seen = viewer.get("/admin/reconciliation/exceptions/" + other);
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.body()).doesNotContain("id=\"acknowledge\"");
        assertThat(viewer.post("/admin/reconciliation/exceptions/" + other + "/acknowledge", Map.of("_csrf",
                seen.csrf(), "key", "v-" + System.nanoTime())).status()).isEqualTo(403);
        assertThat(api.get("/v1/reconciliation/exceptions/" + other).text("status")).isEqualTo("open");
    }
}
