package io.moneytrail.api;

import io.moneytrail.ledger.LedgerExport;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.LocalDate;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Ledger exports as files: the parameters are checked and an export slot taken before the
 * response starts, so bad input is a 400 envelope; then the file streams as it is read.
 */
@RestController
@RequestMapping("/v1/ledger")
@Tag(name = "Ledger")
class LedgerExportController {

    private final LedgerExport exports;

    LedgerExportController(LedgerExport exports) {
        this.exports = exports;
    }

    @GetMapping("/export")
    @Operation(summary = "Download the entries effective from..to (UTC dates, inclusive, at most 366 days) as an"
            + " hledger or Ledger journal, a Beancount file or a CSV general journal",
            responses = @ApiResponse(responseCode = "200", description = "the file, streamed as an attachment",
                    content = {@Content(mediaType = "text/plain", schema = @Schema(type = "string")),
                               @Content(mediaType = "text/csv", schema = @Schema(type = "string"))}))
    ResponseEntity<StreamingResponseBody> export(
            @Parameter(required = true, schema = @Schema(allowableValues = {"hledger", "ledger", "beancount", "csv"}))
            @RequestParam(required = false) String format,
            @Parameter(required = true, description = "first effective date (UTC), YYYY-MM-DD")
            @RequestParam(required = false) String from,
            @Parameter(required = true, description = "last effective date (UTC), YYYY-MM-DD, included")
            @RequestParam(required = false) String to) {
        LedgerExport.Format parsed = LedgerExport.Format.parse(format);
        LocalDate fromDate = LedgerExport.date(from, "from");
        LocalDate toDate = LedgerExport.date(to, "to");
        LedgerExport.Prepared export = exports.prepare(parsed, fromDate, toDate);
        StreamingResponseBody body = out -> {
            try (export) {
                export.writeTo(out);
            }
        };
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(parsed.contentType()))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(export.fileName()).build().toString())
                .body(body);
    }
}
