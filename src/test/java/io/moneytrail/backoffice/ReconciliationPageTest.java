package io.moneytrail.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.RequiresTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * {@code /admin/reconciliation}: an accountant uploads a provider report through the page's
 * multipart form (the API's importer), runs reconciliation over it and reads the run's figures;
 * several provider reports of one format go into one run (YooKassa's two registries), reports of
 * two formats are refused with a message; a file that is not a report is a message on the page,
 * never an error page; a viewer reads but may not upload or run.
 */
class ReconciliationPageTest extends BackofficeTest {

    private static final Pattern FILE_ID = Pattern.compile("rf_[0-9a-z]{26}");
    /** Taken after the base class has waited out midnight (see AwayFromMidnight), so the test ends on the same day. */
    private LocalDate today;

    @BeforeEach
    void takeToday() {
        today = LocalDate.now(ZoneOffset.UTC);
    }

    private static Path file(String name, byte[] content) {
        try {
            Path dir = Files.createDirectories(Path.of("target/uploads"));
            Path file = dir.resolve(name);
            Files.write(file, content);
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) {
        try (var in = ReconciliationPageTest.class.getResourceAsStream("/reconciliation/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> fileIds(String text) {
        Matcher m = FILE_ID.matcher(text);
        List<String> ids = new java.util.ArrayList<>();
        while (m.find()) {
            ids.add(m.group());
        }
        return ids;
    }

    /** Ticks exactly these provider reports in the run form. */
    private static void tick(WebDriver browser, List<String> ids) {
        for (WebElement box : browser.findElements(By.cssSelector("input[name=provider_file]"))) {
            if (box.isSelected() != ids.contains(box.getAttribute("value"))) {
                box.click();
            }
        }
    }

    private static void runDates(WebDriver browser, LocalDate from, LocalDate to) {
        // a date input takes the date as typed in the browser's locale; set its value directly
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "document.getElementById('run-from').value = arguments[0];"
                        + "document.getElementById('run-to').value = arguments[1];", from.toString(), to.toString());
    }

    @Test
    @RequiresTool({"chromium", "chromedriver"})
    void an_accountant_uploads_a_provider_report_runs_reconciliation_and_reads_the_figures() {
        paidOrder(1990, 1);
        String report = api.sandbox("GET", "/reports/balance_transactions?from=" + today + "&to=" + today.plusDays(1),
                null).expect(200).raw();
        Path upload = file("sandbox-" + System.nanoTime() + ".csv", report.getBytes(StandardCharsets.UTF_8));
        Login accountant = user("accountant");
        WebDriver browser = Browser.loginAs(base(), accountant.username(), accountant.password());
        browser.get(base() + "/admin/reconciliation");
        Browser.check(browser, "accountant-reconciliation-before-upload");
        browser.findElement(By.id("upload-file")).sendKeys(upload.toString());
        Browser.clickAndLoad(browser, By.id("upload-button"));
        assertThat(browser.getCurrentUrl()).contains("/admin/reconciliation");
        String notice = browser.findElement(By.cssSelector(".notice.ok")).getText();
        assertThat(notice).contains("imported as").contains("(sandbox)");
        String fileId = fileIds(notice).get(0);
        assertThat(browser.findElement(By.id("files")).getText()).contains(fileId);

        tick(browser, List.of(fileId));
        runDates(browser, today, today);
        Browser.clickAndLoad(browser, By.id("run-button"));
        assertThat(browser.getCurrentUrl()).contains("/admin/reconciliation/runs/rr_");
        assertThat(browser.findElement(By.id("run-status")).getText()).isEqualTo("succeeded");
        assertThat(Long.parseLong(browser.findElement(By.id("matched")).getText().replaceAll("\\D", "")))
                .isGreaterThanOrEqualTo(1);
        assertThat(browser.findElement(By.id("matched-rate")).getText()).contains("%");
        assertThat(browser.findElement(By.id("inputs")).getText()).contains(fileId);
        String runId = browser.getCurrentUrl().replaceAll(".*/runs/(rr_[0-9a-z]+).*", "$1");
        assertThat(api.get("/v1/reconciliation/runs/" + runId).expect(200).text("trigger")).isEqualTo("backoffice");
        Browser.check(browser, "accountant-reconciliation-run");

        browser.get(base() + "/admin/reconciliation");
        assertThat(browser.findElement(By.id("runs")).getText()).contains(runId);
        Browser.check(browser, "accountant-reconciliation-after-run");
        assertThat(Browser.phoneOverflow(browser)).as("the reconciliation page scrolls sideways on a phone").isEmpty();
        Browser.screenshot(browser, "phone-reconciliation", 400);
    }

    @Test
    @RequiresTool({"chromium", "chromedriver"})
    void several_provider_reports_of_one_format_go_into_one_run_and_two_formats_are_refused() {
        Path payments = file("yookassa-payments-" + System.nanoTime() + ".csv", resource("yookassa-payments.csv"));
        Path refunds = file("yookassa-refunds-" + System.nanoTime() + ".csv", resource("yookassa-refunds.csv"));
        Login accountant = user("accountant");
        WebDriver browser = Browser.loginAs(base(), accountant.username(), accountant.password());
        browser.get(base() + "/admin/reconciliation");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("upload-format"))).selectByValue("yookassa");
        browser.findElement(By.id("upload-file")).sendKeys(payments + "\n" + refunds);
        Browser.clickAndLoad(browser, By.id("upload-button"));
        List<WebElement> notices = browser.findElements(By.cssSelector(".notice.ok"));
        assertThat(notices).as("one line per file").hasSize(2);
        List<String> yookassa = notices.stream().map(n -> fileIds(n.getText()).get(0)).toList();

        tick(browser, yookassa);
        runDates(browser, LocalDate.of(2026, 5, 1), LocalDate.of(2026, 5, 31));
        Browser.clickAndLoad(browser, By.id("run-button"));
        assertThat(browser.findElement(By.id("run-status")).getText()).isEqualTo("succeeded");
        assertThat(browser.findElement(By.id("inputs")).getText()).contains(yookassa.get(0)).contains(yookassa.get(1));
        Browser.check(browser, "accountant-reconciliation-run-two-files");

        // a sandbox report beside them: refused, with the service's reason on the page
        String sandbox = api.send(api.request("/v1/reconciliation/files?kind=provider&format=sandbox&name=mixed.csv")
                .header("Content-Type", "text/csv").POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                        resource("sandbox-report.csv"))).build()).expect(200).text("id");
        browser.get(base() + "/admin/reconciliation");
        tick(browser, List.of(yookassa.get(0), sandbox));
        runDates(browser, LocalDate.of(2026, 5, 1), LocalDate.of(2026, 5, 31));
        Browser.clickAndLoad(browser, By.id("run-button"));
        assertThat(browser.getCurrentUrl()).doesNotContain("/runs/");
        assertThat(browser.findElement(By.cssSelector(".notice.bad")).getText()).startsWith("The run was not made:")
                .contains("of one format");
        Browser.check(browser, "accountant-reconciliation-refused-run");
    }

    @Test
    void a_file_that_is_not_a_report_is_a_message_on_the_page_and_a_viewer_may_not_upload() {
        Session accountant = new Session(base());
        accountant.login(user("accountant").username(), user("accountant").password());
        String csrf = accountant.get("/admin/reconciliation").csrf();
        Session.Page refused = accountant.postMultipart("/admin/reconciliation/files?_csrf=" + csrf,
                Map.of("kind", "bank", "format", "detect"),
                List.of(Map.entry("file", Map.entry("letter.txt", resource("not-a-statement.txt")))));
        assertThat(refused.status()).isEqualTo(302);
        assertThat(refused.location()).contains("/admin/reconciliation");
        Session.Page shown = accountant.get("/admin/reconciliation");
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body()).contains("letter.txt was not imported: letter.txt: cannot tell the bank statement");

        Session.Page broken = accountant.postMultipart("/admin/reconciliation/files?_csrf=" + csrf,
                Map.of("kind", "provider", "format", "stripe"),
                List.of(Map.entry("file", Map.entry("broken.csv", "no,header\n1,2\n".getBytes(StandardCharsets.UTF_8)))));
        assertThat(broken.status()).isEqualTo(302);
        assertThat(accountant.get("/admin/reconciliation").body()).contains("broken.csv was not imported:");

        Session.Page nothing = accountant.postMultipart("/admin/reconciliation/files?_csrf=" + csrf,
                Map.of("kind", "provider"), List.of());
        assertThat(nothing.status()).isEqualTo(302);
        assertThat(accountant.get("/admin/reconciliation").body()).contains("Choose a file to upload.");

        Session.Page badRun = accountant.post("/admin/reconciliation/runs", Map.of("_csrf", csrf, "from", "2026-05-31",
                "to", "2026-05-01", "provider_file", "rf_00000000000000000000000000"));
        assertThat(badRun.status()).isEqualTo(302);
        assertThat(accountant.get("/admin/reconciliation").body()).contains("The run was not made:");

        Session viewer = new Session(base());
        viewer.login(user("viewer").username(), user("viewer").password());
        Session.Page page = viewer.get("/admin/reconciliation");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("upload-form").doesNotContain("run-form").contains("id=\"h-runs\"");
        Session.Page post = viewer.postMultipart("/admin/reconciliation/files?_csrf=" + page.csrf(),
                Map.of("kind", "provider"), List.of(Map.entry("file", Map.entry("x.csv", resource("sandbox-report.csv")))));
        assertThat(post.status()).isEqualTo(403);

        Session operator = new Session(base());
        operator.login(user("operator").username(), user("operator").password());
        assertThat(operator.get("/admin/reconciliation").status()).isEqualTo(403);
    }
}
