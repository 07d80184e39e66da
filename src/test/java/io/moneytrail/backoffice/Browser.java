package io.moneytrail.backoffice;

import java.nio.file.Path;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The back office tests' name for the shared browser support, which now lives in
 * {@link io.moneytrail.testing.Browser} (the checkout's browser tests use it too).
 */
final class Browser {

    static final Path SCREENSHOTS = io.moneytrail.testing.Browser.SCREENSHOTS;
    static final int WIDTH = io.moneytrail.testing.Browser.WIDTH;
    static final int HEIGHT = io.moneytrail.testing.Browser.HEIGHT;
    static final java.util.Set<String> FAILING_IMPACTS = io.moneytrail.testing.Browser.FAILING_IMPACTS;
    static final Path AXE_SUMMARY = io.moneytrail.testing.Browser.AXE_SUMMARY;

    private Browser() {
    }

    static WebDriver driver() {
        return io.moneytrail.testing.Browser.driver();
    }

    static WebDriver loginAs(String base, String username, String password) {
        return io.moneytrail.testing.Browser.loginAs(base, username, password);
    }

    static void clickAndLoad(WebDriver browser, By what) {
        io.moneytrail.testing.Browser.clickAndLoad(browser, what);
    }

    static WebElement waitFor(WebDriver browser, By what) {
        return io.moneytrail.testing.Browser.waitFor(browser, what);
    }

    static Path screenshot(WebDriver browser, String name, int width) {
        return io.moneytrail.testing.Browser.screenshot(browser, name, width);
    }

    static Path screenshot(WebDriver browser, String name) {
        return io.moneytrail.testing.Browser.screenshot(browser, name);
    }

    static java.util.List<String> accessibilityProblems(WebDriver browser, String name) {
        return io.moneytrail.testing.Browser.accessibilityProblems(browser, name);
    }

    static void check(WebDriver browser, String name) {
        io.moneytrail.testing.Browser.check(browser, name);
    }

    /**
     * At a phone's width (400 px): how far the page scrolls sideways (0 when it does not; tables
     * scroll inside their box), with the elements that stick out when it does.
     */
    static String phoneOverflow(WebDriver browser) {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(400, 900));
        // Chart.js resizes its canvases after the window did (a ResizeObserver, asynchronously): a
        // canvas drawn at 1280 px briefly keeps the page wide. Give the page up to 3 s to settle;
        // an overflow that is really there stays and is reported.
        long settleUntil = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < settleUntil && ((Number) ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth"))
                .longValue() > 0) {
            io.moneytrail.testing.Api.sleep(100);
        }
        return (String) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("""
                var over = document.documentElement.scrollWidth - document.documentElement.clientWidth;
                if (over <= 0) { return ''; }
                var width = document.documentElement.clientWidth, out = [];
                document.querySelectorAll('body *').forEach(function (e) {
                  var r = e.getBoundingClientRect();
                  if (r.right > width + 1 && out.length < 8) {
                    out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + e.className + ' right=' + r.right);
                  }
                });
                return over + 'px: ' + out.join('; ');""");
    }
}
