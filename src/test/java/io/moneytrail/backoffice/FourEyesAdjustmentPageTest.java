package io.moneytrail.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.RequiresTool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.Select;

/**
 * The four-eyes rule on {@code /admin/ledger/adjustments} (ApiTest sets the threshold to
 * 100000000 minor units): an accountant proposes an adjustment above it, cannot approve it
 * themself, and another user (an admin) approves it through the confirmation; it is then posted
 * once, and both steps are in the audit log under their users.
 */
class FourEyesAdjustmentPageTest extends BackofficeTest {

    @Test
    @RequiresTool({"chromium", "chromedriver"})
    void a_four_eyes_adjustment_proposed_and_then_approved() {
        Login accountant = newUser("fe-accountant-" + Long.toString(System.nanoTime(), 36), "accountant");
        String reason = "bank fee booked twice " + System.nanoTime();
        WebDriver browser = Browser.loginAs(base(), accountant.username(), accountant.password());
        browser.get(base() + "/admin/ledger");
        Browser.clickAndLoad(browser, By.id("adjustments-link"));
        assertThat(browser.findElement(By.id("rule")).getText()).contains("above 100,000,000 minor units");
        new Select(browser.findElement(By.id("debit"))).selectByValue("assets:suspense");
        new Select(browser.findElement(By.id("credit"))).selectByValue("expenses:adjustments");
        browser.findElement(By.id("amount")).sendKeys("1000000.50");
        browser.findElement(By.id("reason")).sendKeys(reason);
        Browser.check(browser, "accountant-adjustments-form");
        Browser.clickAndLoad(browser, By.id("propose"));

        String notice = browser.findElement(By.cssSelector(".notice.ok")).getText();
        assertThat(notice).startsWith("Proposed as lap_");
        String id = notice.substring("Proposed as ".length(), notice.indexOf(':'));
        assertThat(browser.findElement(By.id("proposal-" + id)).getText()).contains("1,000,000.50 EUR")
                .contains(reason).contains(accountant.username());
        assertThat(countEntries(reason)).isZero();
        Browser.check(browser, "accountant-adjustments-proposed");

        // the proposer sees why they may not decide it, and no button
        Browser.clickAndLoad(browser, By.id("approve-" + id));
        assertThat(browser.findElement(By.id("own")).getText()).contains("another accountant or admin");
        assertThat(browser.findElements(By.id("confirm"))).isEmpty();
        Browser.check(browser, "accountant-approve-own-refused");

        browser = Browser.loginAs(base(), "admin", admin().password());
        browser.get(base() + "/admin/ledger/adjustments");
        Browser.clickAndLoad(browser, By.id("approve-" + id));
        assertThat(browser.findElement(By.id("sentence")).getText()).isEqualTo(
                "Posts 1,000,000.50 EUR to the ledger: debit assets:suspense, credit expenses:adjustments, as proposed by "
                        + accountant.username() + " (accountant).");
        Browser.check(browser, "admin-approve-confirmation");
        Browser.clickAndLoad(browser, By.id("confirm"));

        assertThat(browser.findElement(By.cssSelector(".notice.ok")).getText()).startsWith("Approved: " + id
                + " is posted as journal entry je_");
        assertThat(browser.findElement(By.id("decided")).getText()).contains(id).contains("approved");
        assertThat(browser.findElements(By.id("proposal-" + id))).isEmpty();
        Browser.check(browser, "admin-adjustments-approved");
        assertThat(countEntries(reason)).isEqualTo(1);

        List<Map<String, Object>> audit = jdbc.sql("""
                        select action, actor_id from audit_log where object_id = :id order by occurred_at, id""")
                .param("id", id).query().listOfRows();
        assertThat(audit).extracting(r -> r.get("action") + " " + r.get("actor_id")).containsExactly(
                "ledger.adjustment.propose " + accountant.username(), "ledger.adjustment.approve admin");
    }

    @Test
    void a_decision_sent_twice_is_made_once_and_the_second_decision_is_refused() {
        Login accountant = newUser("fe-twice-" + Long.toString(System.nanoTime(), 36), "accountant");
        Session proposer = new Session(base());
        proposer.login(accountant.username(), accountant.password());
        Session.Page page = proposer.get("/admin/ledger/adjustments");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", page.csrf());
        form.put("key", page.oneTimeKey());
        form.put("debit", "expenses:adjustments");
        form.put("credit", "assets:suspense");
        form.put("amount", "2000000");
        form.put("currency", "EUR");
        form.put("reason", "twice " + System.nanoTime());
        assertThat(proposer.post("/admin/ledger/adjustments", form).status()).isEqualTo(302);
        assertThat(proposer.post("/admin/ledger/adjustments", form).status()).isEqualTo(302);
        String id = jdbc.sql("select id from ledger_adjustment_proposals where reason = :r").param("r", form.get("reason"))
                .query(String.class).single();

        Session admin = new Session(base());
        admin.login("admin", admin().password());
        Session.Page confirm = admin.get("/admin/ledger/adjustments/" + id + "/reject");
        Map<String, String> reject = Map.of("_csrf", confirm.csrf(), "key", confirm.oneTimeKey(), "reason", "not ours");
        assertThat(admin.post("/admin/ledger/adjustments/" + id + "/reject", reject).status()).isEqualTo(302);
        assertThat(admin.get("/admin/ledger/adjustments").body()).contains("Rejected: " + id);
        assertThat(admin.post("/admin/ledger/adjustments/" + id + "/reject", reject).status()).isEqualTo(302);
        assertThat(admin.get("/admin/ledger/adjustments").body()).contains("This form was already sent");
        // a fresh confirmation of a decided proposal: no form, and a post is refused by the service
        Session.Page late = admin.get("/admin/ledger/adjustments/" + id + "/approve");
        assertThat(late.body()).contains("already rejected");
        assertThat(admin.post("/admin/ledger/adjustments/" + id + "/approve", Map.of("_csrf", late.csrf(), "key",
                "late-" + System.nanoTime())).status()).isEqualTo(302);
        assertThat(admin.get("/admin/ledger/adjustments").body()).contains("was already rejected");
        assertThat(jdbc.sql("select status from ledger_adjustment_proposals where id = :id").param("id", id)
                .query(String.class).single()).isEqualTo("rejected");
        // a viewer sees the page but may not decide
        Session viewer = new Session(base());
        viewer.login(user("viewer").username(), user("viewer").password());
        assertThat(viewer.get("/admin/ledger/adjustments").status()).isEqualTo(200);
        assertThat(viewer.post("/admin/ledger/adjustments/" + id + "/approve", Map.of("_csrf",
                viewer.get("/admin").csrf(), "key", "v-" + System.nanoTime())).status()).isEqualTo(403);
    }

    private long countEntries(String reason) {
        return jdbc.sql("select count(*) from journal_entries where source_type = 'adjustment' and reason = :r")
                .param("r", reason).query(Long.class).single();
    }
}
