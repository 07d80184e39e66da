package io.moneytrail.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.checkout.DeviceClass;
import io.moneytrail.checkout.FunnelEvents;
import io.moneytrail.checkout.FunnelRows;
import io.moneytrail.checkout.FunnelStep;
import io.moneytrail.testing.RequiresTool;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * {@code /admin/reports/funnel}: the same figures as {@code GET /v1/reports/funnel} for the same
 * days, in the table and the CSV; the chart drawn in the browser, in English and Russian, on a
 * wide screen and a 400 px phone; for accountants, admins and viewers, not operators.
 */
class FunnelPageTest extends BackofficeTest {

    static final String DAY = "2003-05-20";
    private static boolean recorded;

    @Autowired
    FunnelEvents events;

    @BeforeEach
    void journeys() {
        synchronized (FunnelPageTest.class) {
            if (recorded) {
                return;
            }
            recorded = true;
        }
        // 12 sessions: 10 choose a provider, 9 are redirected, 3 declined (2 then pay), 6 return and pay,
        // 2 abandoned (one after a decline), 1 expires; and 2 API-only orders, one paid
        for (int i = 0; i < 12; i++) {
            String session = "chk_fp" + i;
            String order = "ord_fp" + i;
            DeviceClass device = i % 3 == 0 ? DeviceClass.MOBILE : DeviceClass.DESKTOP;
            String provider = i % 2 == 0 ? "sandbox" : "stripe";
            Instant t = Instant.parse(DAY + "T09:00:00Z").plusSeconds(600L * i);
            record(session, order, null, device, FunnelStep.VIEWED, null, t);
            if (i >= 10) {
                record(session, order, null, device, FunnelStep.ABANDONED, null, t.plusSeconds(1800));
                continue;
            }
            record(session, order, provider, device, FunnelStep.PROVIDER_CHOSEN, null, t.plusSeconds(5));
            if (i == 9) {
                record(session, order, provider, device, FunnelStep.EXPIRED, null, t.plusSeconds(3600));
                continue;
            }
            record(session, order, provider, device, FunnelStep.REDIRECTED, null, t.plusSeconds(6));
            if (i < 3) {
                record(session, order, provider, device, FunnelStep.DECLINED,
                        i == 0 ? "declined" : i == 1 ? "insufficient_funds" : "3ds_failed", t.plusSeconds(20));
                record(session, order, provider, device, FunnelStep.RETURNED, null, t.plusSeconds(21));
                if (i == 2) {
                    record(session, order, null, device, FunnelStep.ABANDONED, null, t.plusSeconds(1900));
                    continue;
                }
            }
            if (i >= 8) {
                continue; // left at the provider's page (recorded as nothing more)
            }
            record(session, order, provider, device, FunnelStep.RETURNED, null, t.plusSeconds(40 + i));
            record(session, order, provider, device, FunnelStep.PAID, null, t.plusSeconds(41 + i));
        }
        record(null, "ord_fp_api1", "sandbox", DeviceClass.UNKNOWN, FunnelStep.PAYMENT_STARTED, null,
                Instant.parse(DAY + "T20:00:00Z"));
        record(null, "ord_fp_api1", "sandbox", DeviceClass.UNKNOWN, FunnelStep.PAID, null,
                Instant.parse(DAY + "T20:00:30Z"));
        record(null, "ord_fp_api2", "stripe", DeviceClass.UNKNOWN, FunnelStep.PAYMENT_STARTED, null,
                Instant.parse(DAY + "T21:00:00Z"));
    }

    private void record(String session, String order, String provider, DeviceClass device, FunnelStep step,
                        String reason, Instant at) {
        FunnelRows.insert(events, session, order, provider, device, step, reason, at);
    }

    @Test
    void the_table_and_the_csv_show_the_apis_figures() {
        JsonNode api = this.api.get("/v1/reports/funnel?from=" + DAY + "&to=" + DAY).expect(200).body();
        Map<String, Long> expected = new LinkedHashMap<>();
        api.path("steps").forEach(s -> expected.put(s.path("step").asText(), s.path("count").asLong()));
        assertThat(expected).containsEntry("viewed", 12L).containsEntry("paid", 8L).containsEntry("declined", 3L);

        Session accountant = new Session(base());
        accountant.login(user("accountant").username(), user("accountant").password());
        Session.Page csv = accountant.get("/admin/reports/funnel.csv?from=" + DAY + "&to=" + DAY);
        assertThat(csv.status()).isEqualTo(200);
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("section,name,value,checkout_sessions,api_orders,journeys,from_step,conversion");
        Map<String, Long> fromCsv = new LinkedHashMap<>();
        lines.stream().filter(l -> l.startsWith("step,")).map(l -> l.split(",", -1))
                .forEach(cells -> fromCsv.put(cells[1], Long.parseLong(cells[2])));
        assertThat(fromCsv).containsExactlyEntriesOf(expected);
        assertThat(lines).contains("decline_reason,generic,1,,,1,,", "decline_reason,insufficient_funds,1,,,1,,",
                "decline_reason,three_ds_failed,1,,,1,,",
                "abandoned_last_step,viewed,2,,,,,", "abandoned_last_step,returned,1,,,,,");

        Session.Page page = accountant.get("/admin/reports/funnel?from=" + DAY + "&to=" + DAY);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("data-step=\"paid\"").contains("12 checkout sessions, 2 orders paid");

        Session viewer = new Session(base());
        viewer.login(user("viewer").username(), user("viewer").password());
        assertThat(viewer.get("/admin/reports/funnel?from=" + DAY + "&to=" + DAY).status()).isEqualTo(200);
        Session operator = new Session(base());
        operator.login(user("operator").username(), user("operator").password());
        assertThat(operator.get("/admin/reports/funnel").status()).isEqualTo(403);
        assertThat(accountant.get("/admin/reports/funnel?from=2003-05-21&to=2003-05-20").status()).isEqualTo(400);
        assertThat(accountant.get("/admin/reports/funnel?from=" + DAY + "&to=" + DAY + "&device=fridge").status())
                .isEqualTo(400);
    }

    @Test
    @RequiresTool({"chromium", "chromedriver"})
    void the_page_draws_its_funnel_in_english_and_russian() {
        Login accountant = user("accountant");
        WebDriver browser = Browser.loginAs(base(), accountant.username(), accountant.password());
        browser.get(base() + "/admin/reports");
        Browser.clickAndLoad(browser, By.id("funnel-link"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Checkout funnel");
        browser.get(base() + "/admin/reports/funnel?from=" + DAY + "&to=" + DAY);
        waitForChart(browser);
        String table = browser.findElement(By.id("steps")).getText();
        assertThat(table).contains("Viewed").contains("Provider chosen").contains("Paid").contains("Declined");
        assertThat(browser.findElement(By.id("reasons")).getText()).contains("3-D Secure failed")
                .contains("Insufficient funds").contains("sandbox: 3ds_failed");
        Browser.check(browser, "accountant-funnel");
        Browser.screenshot(browser, "accountant-funnel-400px", 400);

        browser.get(base() + "/admin/reports/funnel?from=" + DAY + "&to=" + DAY + "&provider=stripe&device=desktop");
        waitForChart(browser);
        assertThat(browser.findElement(By.id("provider")).getAttribute("value")).isEqualTo("stripe");
        Browser.check(browser, "accountant-funnel-stripe-desktop");

        Browser.clickAndLoad(browser, By.cssSelector(".lang a[lang=ru]"));
        browser.get(base() + "/admin/reports/funnel?from=" + DAY + "&to=" + DAY); // the switch keeps the path only
        waitForChart(browser);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Воронка оплаты");
        assertThat(browser.findElement(By.id("steps")).getText()).contains("Открыта страница").contains("Оплачен");
        Browser.check(browser, "ru-funnel");
        Browser.clickAndLoad(browser, By.cssSelector(".lang a[lang=en]"));
    }

    private static void waitForChart(WebDriver browser) {
        boolean drawn = new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> Boolean.TRUE.equals(
                ((JavascriptExecutor) d).executeScript("return typeof Chart !== 'undefined'"
                        + " && Chart.getChart(document.getElementById('chart')) != null")));
        assertThat(drawn).isTrue();
    }
}
