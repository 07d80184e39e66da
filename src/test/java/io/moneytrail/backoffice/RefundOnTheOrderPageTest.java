package io.moneytrail.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import io.moneytrail.testing.RequiresTool;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An operator refunds part of a paid order on its page, through the confirmation step; the refund
 * shows in the refunds, the timeline (live), the money trail and the audit log with its reason,
 * and the confirmation's one-time key makes a repeated form do nothing twice.
 */
class RefundOnTheOrderPageTest extends BackofficeTest {

    @Test
    @RequiresTool({"chromium", "chromedriver"})
    void a_refund_through_the_order_page_appears_in_the_timeline_the_ledger_and_the_audit_log() {
        String order = paidOrder(1495, 2);
        String payment = paymentOf(order);
        Login operator = user("operator");
        WebDriver browser = Browser.loginAs(base(), operator.username(), operator.password());
        browser.get(base() + "/admin/orders/" + order);
        browser.findElement(By.id("refund-amount-" + payment)).sendKeys("5.00");
        browser.findElement(By.id("refund-reason-" + payment)).sendKeys("parcel arrived damaged");
        Browser.clickAndLoad(browser, By.id("refund-" + payment));

        assertThat(browser.findElement(By.id("sentence")).getText())
                .isEqualTo("Refunds 5.00 EUR to the customer's card through Sandbox.");
        assertThat(browser.findElement(By.id("reason")).getAttribute("value")).isEqualTo("parcel arrived damaged");
        Browser.check(browser, "operator-confirm-refund");
        Browser.clickAndLoad(browser, By.id("confirm"));

        assertThat(browser.getCurrentUrl()).endsWith("/admin/orders/" + order);
        assertThat(browser.findElement(By.cssSelector(".notice.ok")).getText()).startsWith("Refund requested");
        assertThat(browser.findElement(By.id("refunds")).getText()).contains("5.00 EUR").contains("parcel arrived damaged");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> {
            d.navigate().refresh();
            return d.findElement(By.id("timeline")).getText().contains("refund.status_changed")
                    && d.findElement(By.id("refunds")).getText().contains("succeeded");
        });
        Browser.check(browser, "operator-order-after-refund");

        Login accountant = user("accountant");
        browser = Browser.loginAs(base(), accountant.username(), accountant.password());
        browser.get(base() + "/admin/orders/" + order);
        String trail = browser.findElement(By.id("trail")).getText();
        assertThat(trail).contains("liabilities:customer_advances").contains("Customer advances")
                .contains("assets:psp:sandbox").contains("-5.00 EUR").contains("24.90 EUR");
        Browser.check(browser, "accountant-order-after-refund");

        browser = Browser.loginAs(base(), "admin", admin().password());
        browser.get(base() + "/admin/orders/" + order);
        String audit = browser.findElement(By.id("audit")).getText();
        assertThat(audit).contains("backoffice.refund").contains("refund.create").contains(operator.username())
                .contains("parcel arrived damaged");
        // the README's screenshot of the order page (docs/backoffice-order.png) is this one, at 1280 px
        Browser.check(browser, "admin-order-after-refund");
        assertThat(jdbc.sql("""
                        select count(*) from audit_log where action = 'backoffice.refund' and object_id = :order
                          and actor_kind = 'user' and actor_id = :user and reason = 'parcel arrived damaged'
                          and outcome = 'succeeded'""")
                .param("order", order).param("user", operator.username()).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void the_confirmation_posted_twice_refunds_once() {
        String order = paidOrder(2000, 1);
        String payment = paymentOf(order);
        Session session = new Session(base());
        session.login(user("operator").username(), user("operator").password());
        Session.Page confirm = session.get("/admin/orders/" + order + "/actions/refund?payment=" + payment
                + "&amount=3.00&reason=twice");
        assertThat(confirm.status()).isEqualTo(200);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", confirm.csrf());
        form.put("key", confirm.oneTimeKey());
        form.put("payment", payment);
        form.put("amount", "300");
        form.put("reason", "twice");
        assertThat(session.post("/admin/orders/" + order + "/actions/refund", form).status()).isEqualTo(302);
        assertThat(session.get("/admin/orders/" + order).body()).contains("Refund requested");
        assertThat(session.post("/admin/orders/" + order + "/actions/refund", form).status()).isEqualTo(302);
        assertThat(session.get("/admin/orders/" + order).body()).contains("This form was already sent");
        assertThat(jdbc.sql("select count(*) from refunds where order_id = :o").param("o", order).query(Long.class)
                .single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from audit_log where action = 'backoffice.refund' and object_id = :o")
                .param("o", order).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void a_viewer_cannot_post_an_action_even_with_a_valid_form() {
        String order = paidOrder(1000, 1);
        Session operator = new Session(base());
        operator.login(user("operator").username(), user("operator").password());
        Session.Page confirm = operator.get("/admin/orders/" + order + "/actions/fulfil");
        Session viewer = new Session(base());
        viewer.login(user("viewer").username(), user("viewer").password());
        String csrf = viewer.get("/admin").csrf();
        Session.Page posted = viewer.post("/admin/orders/" + order + "/actions/fulfil",
                Map.of("_csrf", csrf, "key", confirm.oneTimeKey()));
        assertThat(posted.status()).isEqualTo(403);
        assertThat(api.get("/v1/orders/" + order).text("status")).isEqualTo("open");
    }
}
