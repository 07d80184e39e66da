package io.moneytrail.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.sandbox.SandboxSignature;
import io.moneytrail.testing.RequiresTool;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * {@code /admin/events}: beside the outbound events, the inbound webhooks — one whose signature
 * failed (rejected, with why), one that matched no payment (verified, kept, processed again on
 * an operator's request), and the ones the sandbox sent for a paid order (processed); filtered
 * by status; a viewer reads them and may not ask for processing.
 */
class EventsPageTest extends BackofficeTest {

    private static final String SECRET = "whsec_sandbox_local";

    private int deliver(String body, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + "/v1/webhooks/sandbox"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header(SandboxSignature.HEADER, signature);
        }
        return api.send(request.build()).status();
    }

    private static String event(String eventId) {
        return """
                {"id":"%s","object":"event","type":"refund.succeeded","created":%d,
                 "data":{"object":{"id":"sbxpay_00000000000000000000000000","merchant_reference":"pay_unknown"}}}"""
                .formatted(eventId, Instant.now().getEpochSecond());
    }

    private String inboxId(String eventId) {
        return jdbc.sql("select id from webhook_inbox where provider_event_id = :e").param("e", eventId)
                .query(String.class).single();
    }

    @Test
    @RequiresTool({"chromium", "chromedriver"})
    void inbound_webhooks_show_their_verification_and_processing_beside_the_outbound_events() {
        paidOrder(700, 1);
        String forged = "{\"id\":\"sbxevt_forged_" + UUID.randomUUID() + "\",\"type\":\"payment.succeeded\"}";
        assertThat(deliver(forged, "t=1,v1=00")).isEqualTo(400);
        String orphan = "sbxevt_orphan_" + UUID.randomUUID();
        String body = event(orphan);
        assertThat(deliver(body, SandboxSignature.header(body.getBytes(StandardCharsets.UTF_8), SECRET,
                Instant.now().getEpochSecond()))).isEqualTo(200);
        String orphanId = inboxId(orphan);

        Login operator = user("operator");
        WebDriver browser = Browser.loginAs(base(), operator.username(), operator.password());
        browser.get(base() + "/admin/events");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Events");
        String inbound = browser.findElement(By.id("inbound-webhooks")).getText();
        assertThat(inbound).contains("rejected").contains("verified").contains("processed").contains(orphan);
        String row = browser.findElement(By.id("in-" + orphanId)).getText();
        assertThat(row).contains("verified").contains("no payment matched yet").containsPattern("\\d+ attempts?");
        Browser.check(browser, "operator-events");

        Browser.clickAndLoad(browser, By.cssSelector("#in-" + orphanId + " button"));
        assertThat(browser.findElement(By.cssSelector(".notice.ok")).getText())
                .startsWith("Webhook " + orphanId + " processed again: unmatched.");
        // the inbox's own retry sweep may have tried it too: at least this one more attempt
        assertThat(browser.findElement(By.id("in-" + orphanId)).getText()).containsPattern("([2-9]|\\d\\d) attempts");

        browser.get(base() + "/admin/events?in_status=rejected");
        assertThat(browser.findElement(By.id("inbound-webhooks")).getText()).contains("rejected")
                .doesNotContain("no payment matched yet");
        assertThat(browser.findElements(By.cssSelector("#inbound-webhooks tbody tr")))
                .allSatisfy(tr -> assertThat(tr.getText()).contains("rejected"));
        Browser.check(browser, "operator-events-rejected");
        assertThat(Browser.phoneOverflow(browser)).as("the events page scrolls sideways on a phone").isEmpty();
        Browser.screenshot(browser, "phone-events", 400);
    }

    @Test
    void a_viewer_reads_inbound_webhooks_and_may_not_ask_for_processing() {
        String orphan = "sbxevt_viewer_" + UUID.randomUUID();
        String body = event(orphan);
        deliver(body, SandboxSignature.header(body.getBytes(StandardCharsets.UTF_8), SECRET,
                Instant.now().getEpochSecond()));
        String id = inboxId(orphan);
        Session viewer = new Session(base());
        viewer.login(user("viewer").username(), user("viewer").password());
        Session.Page page = viewer.get("/admin/events?in_status=unmatched");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains(orphan).doesNotContain("/admin/events/inbound/" + id + "/retry");
        assertThat(viewer.post("/admin/events/inbound/" + id + "/retry", Map.of("_csrf", page.csrf())).status())
                .isEqualTo(403);
        assertThat(viewer.get("/admin/events?in_status=nonsense").status()).isEqualTo(400);
        Session accountant = new Session(base());
        accountant.login(user("accountant").username(), user("accountant").password());
        assertThat(accountant.get("/admin/events").status()).isEqualTo(403);
    }

    @Test
    void each_section_pages_on_its_own_and_keeps_the_others_place() {
        Session viewer = new Session(base());
        viewer.login(user("viewer").username(), user("viewer").password());
        Session.Page page = viewer.get("/admin/events?after=evt_zzzzzzzzzzzzzzzzzzzzzzzzzz&in_status=rejected"
                + "&in_after=wh_zzzzzzzzzzzzzzzzzzzzzzzzzz");
        assertThat(page.status()).isEqualTo(200);
        // the outbound section's "First" keeps the inbound filter and place, the inbound's keeps the outbound place
        assertThat(page.body())
                .contains("href=\"/admin/events?in_status=rejected&amp;in_after=wh_zzzzzzzzzzzzzzzzzzzzzzzzzz\"")
                .contains("href=\"/admin/events?after=evt_zzzzzzzzzzzzzzzzzzzzzzzzzz&amp;in_status=rejected#inbound\"");
        // at most OUTBOUND_ROWS outbound events before the inbound section
        String outbound = viewer.get("/admin/events").body();
        outbound = outbound.substring(0, outbound.indexOf("id=\"inbound\""));
        assertThat(outbound.split("<tr", -1).length - 2).isLessThanOrEqualTo(QueuesController.OUTBOUND_ROWS);
    }
}
