package io.moneytrail.sandbox;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A T-Bank month for reconciliation. T-Bank publishes no report Moneytrail imports, so the
 * sandbox serves its T-Bank payments in the sandbox's own balance report format
 * ({@link SandboxReports}: charges, refunds, daily payouts; T-Bank's PaymentId as
 * {@code payment_id}, our payment id as {@code order_reference}), on its own API (Bearer
 * sandbox key): {@code GET /sandbox/api/reports/tbank/balance_transactions?from=…&to=…}.
 */
@RestController
@RequestMapping("/sandbox/api/reports/tbank")
@ConditionalOnSandbox
class TBankReportController {

    private final SandboxReports reports;

    TBankReportController(SandboxReports reports) {
        this.reports = reports;
    }

    @GetMapping("/balance_transactions")
    ResponseEntity<byte[]> balanceTransactions(@RequestParam(name = "from", required = false) String from,
                                               @RequestParam(name = "to", required = false) String to) {
        return ResponseEntity.ok().contentType(new MediaType("text", "csv"))
                .body(reports.balanceTransactions(TBankWire.DIALECT, from, to));
    }
}
