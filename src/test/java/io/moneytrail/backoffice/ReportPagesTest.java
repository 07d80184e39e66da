package io.moneytrail.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.RequiresTool;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The reports by provider, of the payment success rate and decline reasons, and of what is
 * outstanding, and the sales report by week and month: the by-provider totals for a period equal
 * the ledger's movements for that period; a declined payment is counted with its reason; an
 * authorised, uncaptured payment is outstanding; every chart is drawn, every table and CSV is there.
 */
class ReportPagesTest extends BackofficeTest {

    /** Taken after the base class has waited out midnight (see AwayFromMidnight), so the test ends on the same day. */
    private String today;

    @BeforeEach
    void takeToday() {
        today = LocalDate.now(ZoneOffset.UTC).toString();
    }

    private long moved(String account, Instant start, Instant end) {
        return balance(account, end) - balance(account, start);
    }

    private long balance(String account, Instant at) {
        Api.Response answer = api.get("/v1/ledger/accounts/" + account + "/balance?as_of=" + at).expect(200);
        long sum = 0;
        for (var b : answer.body().path("balances")) {
            if ("EUR".equals(b.path("currency").asText())) {
                sum += b.path("balance").asLong();
            }
        }
        return sum;
    }

    private long[] eurSums(String csv, int... columns) {
        long[] sums = new long[columns.length];
        for (String line : csv.lines().skip(1).toList()) {
            String[] cells = line.split(",", -1);
            if (cells[0].equals(today) && cells[2].equals("EUR")) {
                for (int i = 0; i < columns.length; i++) {
                    sums[i] += Long.parseLong(cells[columns[i]]);
                }
            }
        }
        return sums;
    }

    @Test
    void the_by_provider_totals_for_a_day_equal_the_ledgers_movements_for_that_day() {
        String order = paidOrder(4100, 1);
        api.post("/v1/orders/" + order + "/fulfill", "{}").expect(200);
        api.post("/v1/refunds", "{\"payment\":\"" + paymentOf(order) + "\",\"amount\":900,\"reason\":\"broken\"}",
                "provider-report-" + order).expect(200);
        Session accountant = new Session(base());
        accountant.login(user("accountant").username(), user("accountant").password());
        Instant start = LocalDate.parse(today).atStartOfDay(ZoneOffset.UTC).toInstant().minus(1, ChronoUnit.MICROS);
        Instant end = LocalDate.parse(today).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                .minus(1, ChronoUnit.MICROS);
        for (int attempt = 1; ; attempt++) {
            String path = "/admin/reports/providers.csv?from=" + today + "&to=" + today;
            Session.Download before = accountant.download(path);
            long sales = -moved("income:sales", start, end);
            long returns = moved("income:sales_returns", start, end);
            long vat = -moved("liabilities:vat_payable", start, end);
            long fees = moved("expenses:psp_fees", start, end);
            Session.Download after = accountant.download(path);
            if (!before.body().equals(after.body()) && attempt < 5) {
                continue; // another test's entry landed between the reads
            }
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.disposition()).startsWith("attachment");
            assertThat(after.body().lines().findFirst().orElseThrow()).isEqualTo("day,provider,currency,sales_minor,"
                    + "returns_minor,vat_minor,captured_minor,refunded_minor,fees_minor,chargebacks_minor,net_minor");
            long[] sums = eurSums(after.body(), 3, 4, 5, 8, 10);
            assertThat(sums[0]).as("sales").isEqualTo(sales).isPositive();
            assertThat(sums[1]).as("returns").isEqualTo(returns).isPositive();
            assertThat(sums[2]).as("vat").isEqualTo(vat);
            assertThat(sums[3]).as("fees").isEqualTo(fees);
            assertThat(sums[4]).as("net").isEqualTo(sales - returns - fees);
            assertThat(after.body()).contains(today + ",sandbox,EUR,");
            break;
        }
    }

    @Test
    void a_declined_payment_counts_with_its_reason_and_an_authorised_one_is_outstanding() {
        paidOrder(1500, 1); // paid, not fulfilled: a customer advance
        String declinedOrder = api.createOrder(1234, 1).text("id");
        Api.Response declined = api.createPayment(declinedOrder, "automatic");
        api.completeSandboxPage(declined.body().path("next_action").path("redirect_url").asText(), "declined");
        api.eventually("/v1/payments/" + declined.text("id"), r -> "failed".equals(r.text("status")));
        String held = api.createOrder(2222, 1).text("id");
        Api.Response authorised = api.createPayment(held, "manual");
        api.completeSandboxPage(authorised.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/payments/" + authorised.text("id"), r -> "authorized".equals(r.text("status")));

        Session accountant = new Session(base());
        accountant.login(user("accountant").username(), user("accountant").password());
        String rates = accountant.download("/admin/reports/payments.csv?from=" + today + "&to=" + today).body();
        assertThat(rates.lines().findFirst().orElseThrow())
                .isEqualTo("day,provider,attempts,succeeded,declined,abandoned,in_flight,success_rate");
        String[] sandbox = rates.lines().filter(l -> l.startsWith(today + ",sandbox,")).findFirst().orElseThrow()
                .split(",", -1);
        assertThat(Long.parseLong(sandbox[4])).as("declined").isPositive();
        assertThat(Long.parseLong(sandbox[3])).as("succeeded").isPositive();
        double rate = Double.parseDouble(sandbox[7]);
        assertThat(rate).isBetween(0.0, 1.0).isEqualTo((double) Long.parseLong(sandbox[3])
                / (Long.parseLong(sandbox[3]) + Long.parseLong(sandbox[4]) + Long.parseLong(sandbox[5])), within());
        String declines = accountant.download("/admin/reports/declines.csv?from=" + today + "&to=" + today).body();
        assertThat(declines.lines().skip(1).filter(l -> l.startsWith("sandbox,")).toList()).isNotEmpty();
        String code = api.get("/v1/payments/" + declined.text("id")).text("failure_code");
        assertThat(declines).contains("sandbox," + (code == null ? "" : code) + ",");

        String outstanding = accountant.download("/admin/reports/outstanding.csv").body();
        String authorisedLine = outstanding.lines().filter(l -> l.startsWith("authorized,sandbox,EUR,"))
                .findFirst().orElseThrow();
        assertThat(Long.parseLong(authorisedLine.split(",")[4])).isGreaterThanOrEqualTo(2222);
        assertThat(outstanding).containsPattern("advances,,EUR,,\\d+");
        Session.Page page = accountant.get("/admin/reports/outstanding");
        assertThat(page.body()).contains("Authorised, not captured").contains("id=\"chart\"");

        // by week and by month, the sales report names its groups so; a period too long is refused
        assertThat(accountant.get("/admin/reports?by=week").body()).contains("-W");
        String monthly = accountant.download("/admin/reports/sales.csv?by=month").body();
        assertThat(monthly.lines().findFirst().orElseThrow()).startsWith("month,currency,");
        assertThat(accountant.get("/admin/reports/providers?by=year").status()).isEqualTo(400);
        assertThat(accountant.get("/admin/reports/payments?by=week&from=2020-01-01&to=2026-12-01").status())
                .isEqualTo(400);
        Session operator = new Session(base());
        operator.login(user("operator").username(), user("operator").password());
        for (String refused : List.of("/admin/reports/providers", "/admin/reports/payments", "/admin/reports/outstanding",
                "/admin/reports/outstanding.csv")) {
            assertThat(operator.get(refused).status()).as(refused).isEqualTo(403);
        }
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(0.0001);
    }

    @Test
    @RequiresTool({"chromium", "chromedriver"})
    void every_report_page_draws_its_charts_above_its_tables() {
        paidOrder(1800, 1);
        Login accountant = user("accountant");
        WebDriver browser = Browser.loginAs(base(), accountant.username(), accountant.password());
        for (String page : List.of("/admin/reports?by=week", "/admin/reports/providers", "/admin/reports/payments",
                "/admin/reports/outstanding", "/admin/reports/providers?by=month")) {
            browser.get(base() + page);
            int canvases = browser.findElements(By.cssSelector("canvas")).size();
            boolean drawn = new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> Boolean.TRUE.equals(
                    ((JavascriptExecutor) d).executeScript("return typeof Chart !== 'undefined' && Array.prototype"
                            + ".every.call(document.querySelectorAll('canvas'), function (c) {"
                            + " return Chart.getChart(c) != null; })")));
            assertThat(drawn).as(page).isTrue();
            assertThat(canvases).as(page).isPositive();
            assertThat(browser.findElement(By.id("report")).getText()).as(page).isNotEmpty();
            String name = page.substring("/admin/".length()).replaceAll("[/?=&]", "-");
            Browser.check(browser, "accountant-chart-" + name);
        }
        browser.get(base() + "/admin/reports/providers");
        assertThat(Browser.phoneOverflow(browser)).as("the provider report scrolls sideways on a phone").isEmpty();
        Browser.screenshot(browser, "phone-reports-providers", 400);
    }
}
