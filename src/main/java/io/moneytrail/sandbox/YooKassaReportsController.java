package io.moneytrail.sandbox;

import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The YooKassa dialect's registries on the sandbox's own API (Bearer sandbox key; YooKassa
 * itself mails registries or offers them in its dashboard, it has no API for them):
 * {@code GET /sandbox/api/reports/yookassa/registry?from=2026-05-01&to=2026-06-01} is the payment
 * registry, {@code &kind=refunds} the refund registry; days in Moscow time, {@code to} exclusive.
 */
@RestController
@RequestMapping("/sandbox/api/reports/yookassa")
@ConditionalOnSandbox
class YooKassaReportsController {

    private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final YooKassaRegistry registry;

    YooKassaReportsController(YooKassaRegistry registry) {
        this.registry = registry;
    }

    @GetMapping("/registry")
    ResponseEntity<byte[]> registry(@RequestParam(name = "from", required = false) String from,
                                    @RequestParam(name = "to", required = false) String to,
                                    @RequestParam(name = "kind", required = false) String kind) {
        byte[] csv;
        if (kind == null || "payments".equals(kind)) {
            csv = registry.payments(from, to);
        } else if ("refunds".equals(kind)) {
            csv = registry.refunds(from, to);
        } else {
            throw SandboxException.badRequest("parameter_invalid", "kind is payments (default) or refunds");
        }
        return ResponseEntity.ok().contentType(CSV).body(csv);
    }
}
