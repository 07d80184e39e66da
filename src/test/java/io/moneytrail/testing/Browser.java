package io.moneytrail.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium for the whole test JVM (started on first use, quit at exit): Debian's
 * {@code chromium} and {@code chromium-driver} at fixed paths, so that Selenium never downloads
 * a browser or a driver; {@code --no-sandbox} because CI runs as root. Screenshots of whole
 * pages go to {@code target/screenshots/}. Shared by the back office's and the checkout's browser tests
 * (moved here from the back office's package by the checkout work, issue 13).
 */
public final class Browser {

    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    public static final Path SCREENSHOTS = Path.of("target/screenshots");
    public static final int WIDTH = 1280;
    public static final int HEIGHT = 900;

    private static ChromeDriver driver;

    private Browser() {
    }

    public static synchronized WebDriver driver() {
        if (driver == null) {
            try {
                Files.deleteIfExists(AXE_SUMMARY);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--window-size=" + WIDTH + "," + HEIGHT, "--lang=en-US", "--force-device-scale-factor=1");
            options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US,en"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
            driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            ChromeDriver started = driver;
            Runtime.getRuntime().addShutdownHook(new Thread(started::quit));
        }
        return driver;
    }

    /** Forgets the session (and the language choice), then logs in through the form. */
    public static WebDriver loginAs(String base, String username, String password) {
        WebDriver browser = driver();
        browser.get(base + "/admin/login");
        browser.manage().deleteAllCookies();
        browser.get(base + "/admin/login");
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password);
        clickAndLoad(browser, By.cssSelector("button[type=submit].primary"));
        return browser;
    }

    /** Clicks what loads a new page and waits until the old page is gone (a click may return before). */
    public static void clickAndLoad(WebDriver browser, By what) {
        // The old document is marked and the new one is waited for by the mark's absence. Waiting
        // for the old <html> element to go stale raced: while the old document was torn down,
        // chromedriver sometimes answered "Node with given id does not belong to the document"
        // (a plain WebDriverException) instead of a stale-element error, failing the test.
        ((JavascriptExecutor) browser).executeScript("window.__moneytrailBeforeClick = true");
        browser.findElement(what).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(WebDriverException.class)
                .until(d -> Boolean.FALSE.equals(((JavascriptExecutor) d)
                        .executeScript("return window.__moneytrailBeforeClick === true"))
                        && "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    public static WebElement waitFor(WebDriver browser, By what) {
        return new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> {
            var found = d.findElements(what);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    /** A screenshot of the whole page as {@code target/screenshots/<name>.png}, at the given width. */
    public static Path screenshot(WebDriver browser, String name, int width) {
        try {
            Files.createDirectories(SCREENSHOTS);
            long height = (Long) ((JavascriptExecutor) browser)
                    .executeScript("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);");
            browser.manage().window().setSize(new Dimension(width, (int) Math.min(Math.max(height, 600), 6000)));
            height = (Long) ((JavascriptExecutor) browser)
                    .executeScript("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);");
            browser.manage().window().setSize(new Dimension(width, (int) Math.min(Math.max(height, 600), 6000)));
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            browser.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
        }
    }

    /**
     * The whole page at the given width in one image, however long (Chromium's own capture beyond
     * the viewport, through the DevTools protocol), as {@code target/screenshots/<name>.png}.
     */
    public static Path screenshotWholePage(WebDriver browser, String name, int width) {
        try {
            Files.createDirectories(SCREENSHOTS);
            browser.manage().window().setSize(new Dimension(width, HEIGHT));
            JavascriptExecutor js = (JavascriptExecutor) browser;
            long pageWidth = (Long) js.executeScript("return document.documentElement.clientWidth;");
            long pageHeight = (Long) js.executeScript(
                    "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);");
            @SuppressWarnings("unchecked")
            Map<String, Object> shot = ((ChromeDriver) browser).executeCdpCommand("Page.captureScreenshot", Map.of(
                    "format", "png", "captureBeyondViewport", true,
                    "clip", Map.of("x", 0, "y", 0, "width", pageWidth, "height", pageHeight, "scale", 1)));
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.write(target, java.util.Base64.getDecoder().decode((String) shot.get("data")));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path screenshot(WebDriver browser, String name) {
        return screenshot(browser, name, WIDTH);
    }

    /** The impacts that fail a page: axe-core's two worst. */
    public static final java.util.Set<String> FAILING_IMPACTS = java.util.Set.of("serious", "critical");
    public static final Path AXE_SUMMARY = SCREENSHOTS.resolve("axe-core.txt");

    /**
     * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is, appends one line per
     * page to {@code target/screenshots/axe-core.txt}, and answers the serious and critical
     * violations (rule id, impact, how many nodes).
     */
    public static java.util.List<String> accessibilityProblems(WebDriver browser, String name) {
        com.deque.html.axecore.results.Results results = new com.deque.html.axecore.selenium.AxeBuilder()
                .withTags(java.util.List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")).analyze(browser);
        java.util.List<String> all = results.getViolations().stream()
                .map(rule -> rule.getId() + " (" + rule.getImpact() + ", " + rule.getNodes().size() + " nodes)")
                .toList();
        java.util.List<String> failing = results.getViolations().stream()
                .filter(rule -> FAILING_IMPACTS.contains(rule.getImpact()))
                .map(rule -> rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " — "
                        + rule.getNodes().stream().limit(3).map(n -> String.valueOf(n.getTarget())).toList())
                .toList();
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.writeString(AXE_SUMMARY, name + "\t" + results.getPasses().size() + " rules passed\t"
                    + (all.isEmpty() ? "no violations" : String.join("; ", all)) + "\n",
                    java.nio.charset.StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return failing;
    }

    /** A screenshot of the page and axe-core's check of it; fails on a serious or critical violation. */
    public static void check(WebDriver browser, String name) {
        screenshot(browser, name);
        failOnProblems(browser, name);
    }

    /** As {@link #check(WebDriver, String)}, with the whole page captured at the given width. */
    public static void check(WebDriver browser, String name, int width) {
        screenshotWholePage(browser, name, width);
        failOnProblems(browser, name);
    }

    private static void failOnProblems(WebDriver browser, String name) {
        java.util.List<String> problems = accessibilityProblems(browser, name);
        if (!problems.isEmpty()) {
            throw new AssertionError("axe-core on " + name + ": " + String.join("\n", problems));
        }
    }
}
