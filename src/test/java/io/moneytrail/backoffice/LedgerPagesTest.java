package io.moneytrail.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.RequiresTool;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * {@code /admin/ledger/entries} and {@code /admin/ledger/export}: an order's entries with their
 * lines, entries of one account in keyset pages, and the exports in every format the API offers
 * as downloads; bad input is the error page, an operator (who reads no books) is refused.
 */
class LedgerPagesTest extends BackofficeTest {

    /** An entry's id as its row shows it (the page's links carry ids too: the cursor in the language switch). */
    private static final Pattern ENTRY = Pattern.compile("<span class=\"mono small\">(je_[0-9a-z]{26})</span>");

    private static List<String> entries(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = ENTRY.matcher(html);
        while (m.find()) {
            if (!ids.contains(m.group(1))) {
                ids.add(m.group(1));
            }
        }
        return ids;
    }

    @Test
    @RequiresTool({"chromium", "chromedriver"})
    void an_accountant_finds_an_orders_entries_and_an_accounts_entries_page_by_page() {
        String order = paidOrder(3300, 1);
        api.post("/v1/orders/" + order + "/fulfill", "{}").expect(200);
        Login accountant = user("accountant");
        WebDriver browser = Browser.loginAs(base(), accountant.username(), accountant.password());
        browser.get(base() + "/admin/ledger");
        Browser.check(browser, "accountant-ledger-export-form");
        Browser.clickAndLoad(browser, By.id("entries-link"));
        browser.findElement(By.id("order")).sendKeys(order);
        Browser.clickAndLoad(browser, By.cssSelector("form[role=search] button.primary"));
        String table = browser.findElement(By.id("entries")).getText();
        assertThat(table).contains("assets:psp:sandbox").contains("liabilities:customer_advances")
                .contains("income:sales").contains("33.00");
        Browser.check(browser, "accountant-ledger-entries-of-an-order");

        // an account's entries, oldest first, in keyset pages
        Session session = new Session(base());
        session.login(accountant.username(), accountant.password());
        Session.Page first = session.get("/admin/ledger/entries?account=liabilities:customer_advances");
        assertThat(first.status()).isEqualTo(200);
        List<String> firstIds = entries(first.body());
        assertThat(firstIds).isNotEmpty().isSorted().hasSizeLessThanOrEqualTo(LedgerPagesController.PAGE_SIZE);
        Matcher next = Pattern.compile("id=\"next\" href=\"([^\"]+)\"").matcher(first.body());
        if (next.find()) {
            Session.Page second = session.get(next.group(1).replace("&amp;", "&"));
            List<String> secondIds = entries(second.body());
            assertThat(secondIds).isNotEmpty().isSorted();
            assertThat(secondIds.get(0)).isGreaterThan(firstIds.get(firstIds.size() - 1));
        }
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Session.Page filtered = session.get("/admin/ledger/entries?order=" + order + "&from=" + today + "&to=" + today);
        assertThat(entries(filtered.body())).hasSizeGreaterThanOrEqualTo(2);
        Session.Page before = session.get("/admin/ledger/entries?order=" + order + "&to=2020-01-01");
        assertThat(before.body()).contains("No entry matches.");
        assertThat(session.get("/admin/ledger/entries?account=no:such").status()).isEqualTo(400);
        assertThat(session.get("/admin/ledger/entries?from=yesterday").status()).isEqualTo(400);
    }

    @Test
    void the_ledger_exports_in_every_format_as_downloads() {
        String order = paidOrder(1100, 1);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Session accountant = new Session(base());
        accountant.login(user("accountant").username(), user("accountant").password());
        assertThat(accountant.get("/admin/ledger").body()).contains("value=\"hledger\"").contains("value=\"ledger\"")
                .contains("value=\"beancount\"").contains("value=\"csv\"");
        for (String format : List.of("hledger", "ledger", "beancount", "csv")) {
            Session.Download file = accountant.download("/admin/ledger/export?format=" + format + "&from=" + today
                    + "&to=" + today);
            assertThat(file.status()).as(format).isEqualTo(200);
            assertThat(file.disposition()).as(format).startsWith("attachment")
                    .contains("moneytrail-ledger-" + today + "-to-" + today);
            assertThat(file.contentType()).as(format).startsWith(format.equals("csv") ? "text/csv" : "text/plain");
            assertThat(file.body()).as(format).contains(order);
            // the same file as the API's
            assertThat(api.get("/v1/ledger/export?format=" + format + "&from=" + today + "&to=" + today).raw())
                    .as(format).contains(order);
        }
        assertThat(accountant.get("/admin/ledger/export?format=xlsx&from=" + today + "&to=" + today).status())
                .isEqualTo(400);
        Session.Page tooLong = accountant.get("/admin/ledger/export?format=csv&from=2020-01-01&to=" + today);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body()).contains("at most");
        Session viewer = new Session(base());
        viewer.login(user("viewer").username(), user("viewer").password());
        assertThat(viewer.download("/admin/ledger/export?format=csv&from=" + today + "&to=" + today).status())
                .isEqualTo(200);
        Session operator = new Session(base());
        operator.login(user("operator").username(), user("operator").password());
        assertThat(operator.download("/admin/ledger/export?format=csv&from=" + today + "&to=" + today).status())
                .isEqualTo(403);
        assertThat(operator.get("/admin/ledger/entries").status()).isEqualTo(403);
    }
}
