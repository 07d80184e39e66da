package io.moneytrail.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import io.moneytrail.testing.Browser;
import io.moneytrail.testing.RequiresTool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The customer in Chromium (headless, Debian's), at 400 px as on a phone and at 1280 px as on a
 * desktop, in English and in Russian, through every path of the hosted checkout; each ends with
 * the order checked through the API and a screenshot under {@code target/screenshots/}. The
 * provider pages are the sandbox's dialects of each provider, in this process; faults come from
 * the sandbox's controls and short settings of the test configuration, not from sleeps.
 */
@RequiresTool({"chromium", "chromedriver"})
class CheckoutInTheBrowserTest extends ApiTest {

    static final int PHONE = 400;
    static final int DESKTOP = 1280;
    static final int SMALLEST_PHONE = 360;

    @Autowired
    FunnelEvents funnel;

    private String defaultUserAgent;
    private String mainWindow;

    @AfterEach
    void desktopAgain() {
        WebDriver browser = Browser.driver();
        if (defaultUserAgent != null) {
            ((ChromeDriver) browser).executeCdpCommand("Emulation.setUserAgentOverride",
                    Map.of("userAgent", defaultUserAgent));
            defaultUserAgent = null;
        }
        if (mainWindow != null) {
            for (String handle : browser.getWindowHandles()) {
                if (!handle.equals(mainWindow)) {
                    browser.switchTo().window(handle).close();
                }
            }
            browser.switchTo().window(mainWindow);
        }
        browser.manage().window().setSize(new Dimension(Browser.WIDTH, Browser.HEIGHT));
    }

    // ------------------------------------------------------------------ the paths

    @Test
    void pays_the_first_time_on_a_phone_in_english() {
        String order = CheckoutSessionsTest.order(api, "EUR", 1250);
        WebDriver browser = open(session(order, null), PHONE, true);
        assertThat(text(browser)).contains("Pay for your order", "Mug", "2 × €12.50", "€25.00", "incl. VAT 22%",
                "Pay with sandbox", "Pay by card (Stripe)");
        Browser.check(browser, "checkout-choose-phone-en", PHONE);
        choose(browser, "sandbox");
        provider(browser, "succeeded");
        confirmation(browser, "Payment received", "checkout-paid-phone-en", PHONE);
        backAtTheStore(browser, order, "paid");
        assertThat(api.get("/v1/orders/" + order).text("payment_status")).isEqualTo("paid");
        assertThat(funnel.ofOrder(order)).filteredOn(e -> e.step() == FunnelStep.VIEWED).singleElement()
                .satisfies(e -> assertThat(e.device()).isEqualTo(DeviceClass.MOBILE));
    }

    @Test
    void pays_the_first_time_on_a_desktop_in_russian_with_yookassa() {
        String order = CheckoutSessionsTest.order(api, "RUB", 150000);
        WebDriver browser = open(session(order, "ru"), DESKTOP, false);
        assertThat(text(browser)).contains("Оплата заказа", "Итого", "3 000,00", "в т.ч. НДС 22%",
                "Оплатить через песочницу", "Оплатить через ЮKassa", "Оплатить через Т-Банк");
        Browser.check(browser, "checkout-choose-desktop-ru", DESKTOP);
        choose(browser, "yookassa");
        provider(browser, "succeeded");
        confirmation(browser, "Оплата получена", "checkout-paid-desktop-ru", DESKTOP);
        backAtTheStore(browser, order, "paid");
        assertThat(api.get("/v1/orders/" + order).text("payment_status")).isEqualTo("paid");
    }

    @Test
    void a_declined_card_then_another_provider_pays_on_a_desktop_in_english() {
        String order = CheckoutSessionsTest.order(api, "EUR", 1250);
        WebDriver browser = open(session(order, null), DESKTOP, false);
        choose(browser, "sandbox");
        provider(browser, "declined");
        view(browser, "declined");
        assertThat(text(browser)).contains("Payment declined", "Your bank declined the payment",
                "Try again, the same way or another", "Pay with sandbox", "Pay by card (Stripe)");
        Browser.check(browser, "checkout-declined-desktop-en", DESKTOP);
        choose(browser, "stripe");
        provider(browser, "succeeded");
        confirmation(browser, "Payment received", "checkout-retry-paid-desktop-en", DESKTOP);
        backAtTheStore(browser, order, "paid");
        assertThat(api.get("/v1/orders/" + order).text("payment_status")).isEqualTo("paid");
        assertThat(providersAndStates(order)).containsExactly("sandbox:failed", "stripe:captured");
    }

    @Test
    void a_declined_card_then_the_same_provider_pays_on_a_phone_in_russian() {
        String order = CheckoutSessionsTest.order(api, "RUB", 99000);
        WebDriver browser = open(session(order, "ru"), PHONE, true);
        choose(browser, "tbank");
        provider(browser, "declined");
        view(browser, "declined");
        assertThat(text(browser)).contains("Платёж отклонён", "На карте недостаточно средств.",
                "Попробуйте ещё раз тем же или другим способом");
        Browser.check(browser, "checkout-declined-phone-ru", PHONE);
        choose(browser, "tbank");
        provider(browser, "succeeded");
        confirmation(browser, "Оплата получена", "checkout-retry-paid-phone-ru", PHONE);
        backAtTheStore(browser, order, "paid");
        assertThat(api.get("/v1/orders/" + order).text("payment_status")).isEqualTo("paid");
        assertThat(providersAndStates(order)).containsExactly("tbank:failed", "tbank:captured");
    }

    @Test
    void a_customer_pays_by_keyboard_alone_on_a_360_px_phone() {
        String order = CheckoutSessionsTest.order(api, "EUR", 1250);
        WebDriver browser = open(session(order, null), SMALLEST_PHONE, true);
        JavascriptExecutor page = (JavascriptExecutor) browser;
        long viewport = ((Number) page.executeScript("return window.innerWidth")).longValue();
        long content = ((Number) page.executeScript("return document.documentElement.scrollWidth")).longValue();
        assertThat(viewport).as("the page is really that narrow").isLessThanOrEqualTo(SMALLEST_PHONE);
        assertThat(content).as("nothing sticks out sideways at %d px", SMALLEST_PHONE).isLessThanOrEqualTo(viewport);
        WebElement pay = browser.findElement(By.cssSelector("button[name=provider][value=sandbox]"));
        Actions keyboard = new Actions(browser);
        for (int presses = 0; presses < 20 && !pay.equals(browser.switchTo().activeElement()); presses++) {
            keyboard.sendKeys(Keys.TAB).perform();
        }
        assertThat(browser.switchTo().activeElement()).as("Tab reaches the pay button").isEqualTo(pay);
        keyboard.sendKeys(Keys.ENTER).perform();
        new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(d -> !d.findElements(By.xpath("//form[input[@name='outcome']]")).isEmpty());
        provider(browser, "succeeded");
        confirmation(browser, "Payment received", "checkout-paid-keyboard-360px-en", SMALLEST_PHONE);
        backAtTheStore(browser, order, "paid");
        assertThat(api.get("/v1/orders/" + order).text("payment_status")).isEqualTo("paid");
    }

    @Test
    void three_d_secure_passed_pays_on_a_phone_in_english() {
        String order = CheckoutSessionsTest.order(api, "EUR", 4200);
        WebDriver browser = open(session(order, null), PHONE, true);
        choose(browser, "sandbox");
        provider(browser, "3ds_succeeded");
        confirmation(browser, "Payment received", "checkout-3ds-paid-phone-en", PHONE);
        backAtTheStore(browser, order, "paid");
        assertThat(api.get("/v1/orders/" + order).text("payment_status")).isEqualTo("paid");
    }

    @Test
    void three_d_secure_failed_is_declined_in_plain_words_on_a_desktop_in_russian() {
        String order = CheckoutSessionsTest.order(api, "RUB", 50000);
        WebDriver browser = open(session(order, "ru"), DESKTOP, false);
        choose(browser, "yookassa");
        provider(browser, "3ds_failed");
        view(browser, "declined");
        assertThat(text(browser)).contains("Платёж отклонён", "Не пройдена проверка 3-D Secure (код из банка).");
        Browser.screenshotWholePage(browser, "checkout-3ds-failed-desktop-ru", DESKTOP);
        Api.Response orderNow = api.get("/v1/orders/" + order);
        assertThat(orderNow.text("payment_status")).isEqualTo("unpaid");
        assertThat(providersAndStates(order)).containsExactly("yookassa:failed");
        assertThat(funnel.ofOrder(order)).filteredOn(e -> e.step() == FunnelStep.DECLINED).singleElement()
                .satisfies(e -> assertThat(e.reasonCode()).isEqualTo("3d_secure_failed"));
    }

    @Test
    void the_provider_page_closed_without_paying_then_the_session_expires() {
        String order = CheckoutSessionsTest.order(api, "EUR", 1250);
        String url = session(order, null);
        WebDriver browser = open(url, DESKTOP, false);
        choose(browser, "sandbox");
        assertThat(browser.getCurrentUrl()).contains("/sandbox/pay/");
        browser.get("about:blank"); // the customer closes the provider's page
        String session = sessionOf(order);
        // the session's hour is up (the test moves its end, rather than waiting an hour)
        jdbc.sql("update checkout_sessions set expires_at = now() - interval '1 second' where id = :id")
                .param("id", session).update();
        browser.get(url);
        view(browser, "expired");
        assertThat(text(browser)).contains("This checkout has expired", "No money was taken", "Return to the store");
        Browser.check(browser, "checkout-expired-desktop-en", DESKTOP);
        assertThat(browser.findElement(By.linkText("Return to the store")).getAttribute("href"))
                .isEqualTo("https://shop.example/cart?order=" + order + "&status=expired");
        assertThat(api.get("/v1/checkout_sessions/" + session).text("status")).isEqualTo("expired");
        assertThat(api.get("/v1/orders/" + order).text("payment_status")).isEqualTo("unpaid");
        assertThat(providersAndStates(order)).containsExactly("sandbox:voided");
    }

    @Test
    void a_reload_while_the_payment_is_pending_starts_nothing_and_the_page_follows_the_money() {
        String order = CheckoutSessionsTest.order(api, "EUR", 1250);
        String url = session(order, null);
        WebDriver browser = open(url, PHONE, true);
        choose(browser, "sandbox");
        String providerPage = browser.getCurrentUrl();
        // the customer comes back before paying (the back button), so the provider still has nothing
        browser.get(url + "/return");
        view(browser, "waiting");
        assertThat(text(browser)).contains("Checking your payment", "Please do not pay again");
        Browser.screenshotWholePage(browser, "checkout-waiting-phone-en", PHONE);
        for (int i = 0; i < 3; i++) {
            browser.navigate().refresh();
            assertThat(dataView(browser)).isIn("waiting", "in_progress");
        }
        assertThat(providersAndStates(order)).containsExactly("sandbox:requires_action");
        // the money arrives, but its webhook is lost: the resolver's scheduled check finds it, and the
        // page, polling every second, shows it without the customer doing anything
        String sandboxId = providerPage.substring(providerPage.lastIndexOf('/') + 1);
        assertThat(api.sandbox("POST", "/faults", "{\"payment\":\"" + sandboxId + "\",\"webhook\":\"drop\"}").status())
                .isLessThan(300);
        assertThat(api.completeSandboxPage(providerPage, "succeeded")).isLessThan(400);
        new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(WebDriverException.class)
                .until(d -> "paid".equals(dataView(d)));
        confirmation(browser, "Payment received", "checkout-pending-then-paid-phone-en", PHONE);
        backAtTheStore(browser, order, "paid");
        assertThat(api.get("/v1/orders/" + order).text("payment_status")).isEqualTo("paid");
        assertThat(providersAndStates(order)).containsExactly("sandbox:captured");
    }

    @Test
    void two_tabs_on_one_session_cannot_pay_twice() {
        String order = CheckoutSessionsTest.order(api, "EUR", 1250);
        String url = session(order, null);
        WebDriver browser = open(url, DESKTOP, false);
        String first = browser.getWindowHandle();
        choose(browser, "sandbox");
        String sandboxPage = browser.getCurrentUrl();
        browser.switchTo().newWindow(WindowType.TAB);
        String second = browser.getWindowHandle();
        browser.get(url);
        view(browser, "in_progress");
        assertThat(text(browser)).contains("Your payment with sandbox is not finished", "Continue with sandbox",
                "Or pay another way", "Pay by card (Stripe)");
        Browser.check(browser, "checkout-second-tab-desktop-en", DESKTOP);
        choose(browser, "stripe"); // voids the first tab's attempt before starting this one
        assertThat(browser.getCurrentUrl()).contains("/sandbox/stripe/");
        browser.switchTo().window(first);
        assertThat(browser.getCurrentUrl()).isEqualTo(sandboxPage);
        provider(browser, "succeeded"); // too late: that attempt is voided
        assertThat(text(browser)).containsIgnoringCase("canceled");
        browser.switchTo().window(second);
        provider(browser, "succeeded");
        confirmation(browser, "Payment received", "checkout-two-tabs-paid-desktop-en", DESKTOP);
        browser.switchTo().window(first);
        browser.get(url);
        view(browser, "paid");
        Api.Response paid = api.get("/v1/orders/" + order);
        assertThat(paid.text("payment_status")).isEqualTo("paid");
        assertThat(paid.number("amount_captured")).isEqualTo(paid.number("amount_total"));
        assertThat(providersAndStates(order)).containsExactly("sandbox:voided", "stripe:captured");
    }

    // ------------------------------------------------------------------ helpers

    private String session(String order, String locale) {
        String body = "{\"return_url\":\"http://localhost:" + port + "/actuator/health?shop=demo\","
                + "\"cancel_url\":\"https://shop.example/cart\"" + (locale == null ? "" : ",\"locale\":\"" + locale + "\"")
                + "}";
        return api.post("/v1/orders/" + order + "/checkout_sessions", body, "browser-" + UUID.randomUUID())
                .expect(200).text("url");
    }

    /** Opens the page at a width; a phone also says so in its User-Agent (the funnel's device class). */
    private WebDriver open(String url, int width, boolean phone) {
        WebDriver browser = Browser.driver();
        mainWindow = browser.getWindowHandle();
        if (phone) {
            defaultUserAgent = (String) ((JavascriptExecutor) browser).executeScript("return navigator.userAgent");
            ((ChromeDriver) browser).executeCdpCommand("Emulation.setUserAgentOverride",
                    Map.of("userAgent", Customer.PHONE));
        }
        browser.manage().window().setSize(new Dimension(width, 900));
        browser.get(url);
        view(browser, "choose");
        return browser;
    }

    private static void choose(WebDriver browser, String provider) {
        Browser.clickAndLoad(browser, By.cssSelector("button[name=provider][value=" + provider + "]"));
    }

    /** Presses one of the provider page's buttons (every sandbox dialect's page has the same form). */
    private static void provider(WebDriver browser, String outcome) {
        Browser.clickAndLoad(browser, By.xpath("//form[input[@name='outcome' and @value='" + outcome + "']]//button"));
    }

    private static void view(WebDriver browser, String view) {
        // read by script, not through a found <body>: the page reloads itself when its poll sees a new
        // state, and an element found just before that reload goes stale (a flake at high load)
        new WebDriverWait(browser, Duration.ofSeconds(15)).ignoring(WebDriverException.class)
                .until(d -> view.equals(dataView(d)));
    }

    /** The page's {@code data-view}, or null while a document is being replaced. */
    private static String dataView(WebDriver browser) {
        return (String) ((JavascriptExecutor) browser)
                .executeScript("return document.body ? document.body.getAttribute('data-view') : null");
    }

    private static String text(WebDriver browser) {
        // as WebDriver's getText() answers it: a no-break space (in "3 000,00") reads as a space
        return ((String) ((JavascriptExecutor) browser).executeScript("return document.body.innerText"))
                .replace('\u00a0', ' ');
    }

    /** The confirmation shows (the money says paid) before the page sends the customer back. */
    private static void confirmation(WebDriver browser, String heading, String screenshot, int width) {
        view(browser, "paid");
        assertThat(text(browser)).contains(heading);
        Browser.screenshotWholePage(browser, screenshot, width);
    }

    private static void backAtTheStore(WebDriver browser, String order, String status) {
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().contains("shop=demo"));
        assertThat(browser.getCurrentUrl()).contains("order=" + order, "status=" + status);
    }

    private List<String> providersAndStates(String order) {
        return jdbc.sql("select provider || ':' || status from payments where order_id = :order order by created_at, id")
                .param("order", order).query(String.class).list();
    }

    private String sessionOf(String order) {
        return jdbc.sql("select id from checkout_sessions where order_id = :order").param("order", order)
                .query(String.class).single();
    }
}
