package io.moneytrail.sandbox;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.JsonNode;

/**
 * The page behind a done document's {@code ofd_receipt_url}: where a real OFD shows the customer
 * the receipt it received, the sandbox shows the document it fiscalised, found by FN number,
 * fiscal document number and fiscal sign (all three must match).
 */
@RestController
@RequestMapping("/sandbox/atol/ofd")
@ConditionalOnSandbox
class AtolReceiptPage {

    private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);

    private final AtolCashRegister register;

    AtolReceiptPage(AtolCashRegister register) {
        this.register = register;
    }

    @GetMapping("/receipt")
    ResponseEntity<String> receipt(@RequestParam(name = "fn", required = false) String fn,
                                   @RequestParam(name = "i", required = false) Long documentNumber,
                                   @RequestParam(name = "fp", required = false) Long sign) {
        Optional<AtolCashRegister.Stored> found = documentNumber == null || !AtolCashRegister.FN_NUMBER.equals(fn)
                ? Optional.empty() : register.byFiscalDocument(documentNumber);
        Instant now = register.now();
        Optional<Map<String, Object>> report = found.map(d -> AtolCashRegister.render(d, now));
        JsonNode payload = report.map(r -> (JsonNode) r.get("payload")).orElse(null);
        if (payload == null || sign == null || payload.path("fiscal_document_attribute").asLong() != sign) {
            return page(HttpStatus.NOT_FOUND, "Receipt not found",
                    "<p>No receipt has this FN number, fiscal document number and fiscal sign.</p>");
        }
        AtolCashRegister.Stored document = found.get();
        AtolRequests.Document parsed = AtolRequests.read(document.operation(),
                AtolWire.JSON.readTree(document.request()));
        StringBuilder lines = new StringBuilder("<table><thead><tr><th>Item</th><th>Price</th><th>Qty</th>"
                + "<th>Sum</th><th>VAT</th></tr></thead><tbody>");
        for (AtolRequests.Line line : parsed.lines()) {
            lines.append("<tr><td>").append(escape(line.name())).append("</td><td>").append(plain(line.price()))
                    .append("</td><td>").append(plain(line.quantity())).append("</td><td>").append(plain(line.sum()))
                    .append("</td><td>").append(escape(line.vat())).append("</td></tr>");
        }
        lines.append("</tbody></table>");
        String attributes = "<dl>"
                + item("Operation", document.operation())
                + item("Total", plain(parsed.totalValue()))
                + item("Date and time", payload.path("receipt_datetime").asString(""))
                + item("Shift", payload.path("shift_number").asString(""))
                + item("Receipt number in shift", payload.path("fiscal_receipt_number").asString(""))
                + item("FN number", payload.path("fn_number").asString(""))
                + item("Fiscal document number", payload.path("fiscal_document_number").asString(""))
                + item("Fiscal sign", payload.path("fiscal_document_attribute").asString(""))
                + item("ECR registration number", payload.path("ecr_registration_number").asString(""))
                + item("FNS site", payload.path("fns_site").asString(""))
                + "</dl>";
        return page(HttpStatus.OK, "Receipt " + payload.path("fiscal_document_number").asString(""),
                lines + attributes);
    }

    private static String item(String term, String value) {
        return "<dt>" + escape(term) + "</dt><dd>" + escape(value) + "</dd>";
    }

    private static String plain(BigDecimal value) {
        return value == null ? "" : value.toPlainString();
    }

    private static ResponseEntity<String> page(HttpStatus status, String title, String content) {
        String page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title) + "</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}"
                + "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ccc;padding:.25rem;"
                + "text-align:left}dt{font-weight:600;margin-top:.5rem}</style></head>"
                + "<body><h1>" + escape(title) + "</h1>" + content
                + "<p><small>Moneytrail sandbox (ATOL Online dialect): not a real fiscal receipt.</small></p>"
                + "</body></html>\n";
        return ResponseEntity.status(status).contentType(HTML).body(page);
    }

    private static String escape(String text) {
        return text == null ? "" : HtmlUtils.htmlEscape(text, StandardCharsets.UTF_8.name());
    }
}
