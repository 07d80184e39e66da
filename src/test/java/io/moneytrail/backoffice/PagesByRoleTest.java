package io.moneytrail.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.RequiresTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The reconciliation, ledger, events and report pages for every role in the browser: each page
 * a role may open renders (a screenshot and axe-core per role and page), shows only the forms
 * the role may send, and each page it may not open is the 403 page; one page in Russian.
 */
@RequiresTool({"chromium", "chromedriver"})
class PagesByRoleTest extends BackofficeTest {

    private static final List<String> BOOKS = List.of("/admin/reconciliation", "/admin/reconciliation/runs/%s",
            "/admin/ledger", "/admin/ledger/entries", "/admin/reports", "/admin/reports/providers",
            "/admin/reports/payments", "/admin/reports/outstanding");
    private static final List<String> OPERATIONS = List.of("/admin/events");

    /** Role → pages it may open; the others of the two lists are refused. */
    private static final Map<String, List<String>> MAY = Map.of(
            "admin", concat(BOOKS, OPERATIONS),
            "accountant", BOOKS,
            "viewer", concat(BOOKS, OPERATIONS),
            "operator", OPERATIONS);

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private String aRun() {
        byte[] report;
        try (var in = getClass().getResourceAsStream("/reconciliation/sandbox-report.csv")) {
            report = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String file = api.send(api.request("/v1/reconciliation/files?kind=provider&format=sandbox&name=roles.csv")
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(report)).build())
                .expect(200).text("id");
        return api.post("/v1/reconciliation/runs", "{\"from\":\"2026-05-01\",\"to\":\"2026-05-31\",\"provider_file\":\""
                + file + "\"}").expect(200).text("id");
    }

    @Test
    void every_role_opens_the_pages_it_may_and_is_refused_the_others() {
        paidOrder(2100, 1);
        String run = aRun();
        for (String role : List.of("admin", "accountant", "viewer", "operator")) {
            Login login = user(role);
            WebDriver browser = Browser.loginAs(base(), login.username(), login.password());
            for (String page : concat(BOOKS, OPERATIONS)) {
                String path = page.formatted(run);
                browser.get(base() + path);
                String heading = browser.findElement(By.tagName("h1")).getText();
                if (MAY.get(role).contains(page)) {
                    assertThat(heading).as(role + " " + path).isNotEqualTo("Not allowed");
                    Browser.check(browser, role + "-" + page.substring("/admin/".length()).replace("/%s", "")
                            .replace('/', '-'));
                } else {
                    assertThat(heading).as(role + " " + path).isEqualTo("Not allowed");
                    assertThat(browser.getCurrentUrl()).as("no redirect").endsWith(path);
                }
            }
            boolean books = role.equals("admin") || role.equals("accountant");
            if (MAY.get(role).contains("/admin/reconciliation")) {
                browser.get(base() + "/admin/reconciliation");
                assertThat(browser.findElements(By.id("upload-form"))).as(role + " uploads").hasSize(books ? 1 : 0);
                assertThat(browser.findElements(By.id("run-form"))).as(role + " runs").hasSize(books ? 1 : 0);
            }
            if (MAY.get(role).contains("/admin/events")) {
                browser.get(base() + "/admin/events?in_status=unmatched");
                boolean operates = role.equals("admin") || role.equals("operator");
                if (!operates) {
                    assertThat(browser.findElements(By.cssSelector("#inbound-webhooks button"))).as(role).isEmpty();
                }
            }
        }
    }

    @Test
    void the_new_pages_speak_russian() {
        Login viewer = user("viewer");
        WebDriver browser = Browser.loginAs(base(), viewer.username(), viewer.password());
        browser.get(base() + "/admin/reconciliation?lang=ru");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Сверка");
        Browser.check(browser, "viewer-reconciliation-ru");
        browser.get(base() + "/admin/reports/payments");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Успешность платежей и отказы");
        Browser.check(browser, "viewer-reports-payments-ru");
        browser.get(base() + "/admin/events");
        assertThat(browser.findElement(By.id("h-inbound")).getText()).isEqualTo("Входящие вебхуки");
        Browser.check(browser, "viewer-events-ru");
        browser.get(base() + "/admin/ledger/entries");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Проводки");
        browser.get(base() + "/admin/reconciliation?lang=en");
    }
}
