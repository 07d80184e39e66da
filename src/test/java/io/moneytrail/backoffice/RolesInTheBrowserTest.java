package io.moneytrail.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import io.moneytrail.testing.RequiresTool;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * Every role logs in through the form in a real (headless) Chromium, sees the pages it may with
 * the actions it may take, and gets the 403 page for what it may not. A screenshot of every page
 * per role goes to {@code target/screenshots/}.
 */
@RequiresTool({"chromium", "chromedriver"})
class RolesInTheBrowserTest extends BackofficeTest {

    /** Role → pages it is refused (the 403 page, not a redirect). */
    private static final Map<String, List<String>> REFUSED = Map.of(
            "admin", List.of(),
            "operator", List.of("/admin/audit-log", "/admin/settings/access", "/admin/ledger"),
            "accountant", List.of("/admin/settings/access", "/admin/orders/%s/actions/refund", "/admin/reviews"),
            "viewer", List.of("/admin/audit-log", "/admin/orders/%s/actions/refund"));

    /** Role → the other pages it may open (each is in its navigation). */
    private static final Map<String, List<String>> PAGES = Map.of(
            "admin", List.of("reviews", "events", "ledger", "reconciliation", "reports", "audit-log",
                    "settings/access"),
            "operator", List.of("reviews", "events"),
            "accountant", List.of("ledger", "reconciliation", "reports"),
            "viewer", List.of("reviews", "events", "ledger", "reconciliation", "reports"));

    @Test
    void a_stranger_sees_the_login_page() {
        WebDriver browser = Browser.driver();
        browser.get(base() + "/admin/login");
        browser.manage().deleteAllCookies();
        browser.get(base() + "/admin/orders");
        assertThat(browser.getCurrentUrl()).endsWith("/admin/login");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Log in");
        Browser.check(browser, "stranger-login");
    }

    @Test
    void every_role_logs_in_sees_what_it_may_and_is_refused_the_rest() {
        String order = paidOrder(1250, 2);
        for (String role : List.of("admin", "operator", "accountant", "viewer")) {
            Login login = user(role);
            WebDriver browser = Browser.loginAs(base(), login.username(), login.password());
            assertThat(browser.getCurrentUrl()).as(role).endsWith("/admin");
            assertThat(browser.findElement(By.cssSelector(".me")).getText())
                    .contains(login.username()).contains("(" + role + ")");
            assertThat(((JavascriptExecutor) browser).executeScript("return typeof htmx")).as("htmx loaded")
                    .isEqualTo("object");
            Browser.check(browser, role + "-dashboard");

            browser.get(base() + "/admin/orders");
            assertThat(browser.findElements(By.cssSelector("table.list tbody tr"))).as(role).isNotEmpty();
            Browser.check(browser, role + "-orders");

            browser.get(base() + "/admin/orders/" + order);
            assertThat(browser.findElement(By.tagName("h1")).getText()).contains(order);
            boolean acts = role.equals("admin") || role.equals("operator");
            assertThat(browser.findElements(By.cssSelector("form.action"))).as(role + " sees actions")
                    .hasSizeGreaterThan(acts ? 0 : -1);
            if (!acts) {
                assertThat(browser.findElements(By.cssSelector("form.action"))).as(role + " sees no action").isEmpty();
            }
            boolean books = !role.equals("operator");
            assertThat(browser.findElements(By.id("trail"))).as(role + " sees the money trail").hasSize(books ? 1 : 0);
            Browser.check(browser, role + "-order");

            for (String page : PAGES.get(role)) {
                assertThat(browser.findElements(By.cssSelector(".nav a[href$='/admin/" + page + "']")))
                        .as(role + " has " + page + " in its navigation").hasSize(1);
                browser.get(base() + "/admin/" + page);
                assertThat(browser.findElement(By.tagName("h1")).getText()).as(role + " " + page)
                        .isNotEqualTo("Not allowed");
                Browser.check(browser, role + "-" + page.replace('/', '-'));
            }

            for (String refused : REFUSED.get(role)) {
                browser.get(base() + refused.formatted(order));
                assertThat(browser.findElement(By.tagName("h1")).getText()).as(role + " " + refused)
                        .isEqualTo("Not allowed");
                assertThat(browser.getCurrentUrl()).as("no redirect").endsWith(refused.formatted(order));
            }
            if (!REFUSED.get(role).isEmpty()) {
                Browser.check(browser, role + "-refused");
            }
            Browser.clickAndLoad(browser, By.cssSelector("button.link"));
            assertThat(browser.getCurrentUrl()).endsWith("/admin/login?logout");
        }
    }

    @Test
    void the_header_is_one_line_at_1280_px() {
        // the admin has every page in its navigation, the accountant's test name is long; an order's page is
        // longer than the window, so its scroll bar takes its width from the header too
        String order = paidOrder(1250, 2);
        for (String role : List.of("admin", "accountant")) {
            Login login = user(role);
            WebDriver browser = Browser.loginAs(base(), login.username(), login.password());
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(Browser.WIDTH, Browser.HEIGHT));
            browser.get(base() + "/admin/orders/" + order);
            assertThat((Boolean) ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollHeight > document.documentElement.clientHeight"))
                    .as("the page scrolls").isTrue();
            int brand = browser.findElement(By.cssSelector(".top .brand")).getRect().getY();
            var navigation = browser.findElements(By.cssSelector(".top .nav a"));
            int lastLink = navigation.get(navigation.size() - 1).getRect().getY();
            int logout = browser.findElement(By.cssSelector(".top button.link")).getRect().getY();
            int me = browser.findElement(By.cssSelector(".top .me")).getRect().getY();
            assertThat(List.of(lastLink, logout, me)).as(role + ": the header's rows (brand at " + brand + ")")
                    .allSatisfy(y -> assertThat(Math.abs(y - brand)).isLessThan(12));
            Browser.screenshot(browser, role + "-header-1280");
        }
    }

    @Test
    void pages_fit_a_400_px_phone_screen() {
        String order = paidOrder(990, 1);
        Login operator = user("operator");
        WebDriver browser = Browser.loginAs(base(), operator.username(), operator.password());
        for (String page : List.of("/admin", "/admin/orders", "/admin/orders/" + order)) {
            browser.get(base() + page);
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(400, 900));
            long overflow = (Long) ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(overflow).as(page + " scrolls sideways on a phone (tables scroll inside their box)")
                    .isLessThanOrEqualTo(0);
            Browser.screenshot(browser, "phone-" + (page.equals("/admin") ? "dashboard"
                    : page.equals("/admin/orders") ? "orders" : "order"), 400);
        }
    }

    @Test
    void an_admin_adds_a_user_on_the_access_page_who_then_logs_in() {
        WebDriver browser = Browser.loginAs(base(), "admin", admin().password());
        browser.get(base() + "/admin/settings/access");
        String name = "newcomer-" + Long.toString(System.nanoTime(), 36);
        browser.findElement(By.id("new-username")).sendKeys(name);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("new-user-role"))).selectByValue("viewer");
        Browser.clickAndLoad(browser, By.id("add-user"));
        String password = browser.findElement(By.id("secret")).getText();
        assertThat(password).hasSize(20);
        assertThat(browser.findElement(By.id("users")).getText()).contains(name);
        Browser.check(browser, "admin-access-new-user");
        browser.navigate().refresh();
        assertThat(browser.findElements(By.id("secret"))).as("shown once").isEmpty();
        browser = Browser.loginAs(base(), name, password);
        assertThat(browser.getCurrentUrl()).endsWith("/admin");
        assertThat(browser.findElement(By.cssSelector(".me")).getText()).contains(name);
    }
}
