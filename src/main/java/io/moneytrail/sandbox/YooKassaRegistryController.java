package io.moneytrail.sandbox;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The YooKassa dialect's registries for download (YooKassa itself mails them or offers them in
 * the dashboard; the sandbox serves them), behind the shop's credentials:
 * {@code GET /sandbox/yookassa/registry/payments?from=2026-05-01&to=2026-06-01} and
 * {@code …/registry/refunds}, days in Moscow time, {@code to} exclusive.
 */
@RestController
@RequestMapping(YooKassaSandboxUrls.PREFIX + "/registry")
@ConditionalOnSandbox
class YooKassaRegistryController {

    private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final YooKassaRegistry registry;
    private final YooKassaShopAuth auth;

    YooKassaRegistryController(YooKassaRegistry registry, YooKassaShopAuth auth) {
        this.registry = registry;
        this.auth = auth;
    }

    @GetMapping("/payments")
    ResponseEntity<byte[]> payments(@RequestParam(name = "from", required = false) String from,
                                    @RequestParam(name = "to", required = false) String to, HttpServletRequest request) {
        auth.check(request);
        return ResponseEntity.ok().contentType(CSV).body(registry.payments(from, to));
    }

    @GetMapping("/refunds")
    ResponseEntity<byte[]> refunds(@RequestParam(name = "from", required = false) String from,
                                   @RequestParam(name = "to", required = false) String to, HttpServletRequest request) {
        auth.check(request);
        return ResponseEntity.ok().contentType(CSV).body(registry.refunds(from, to));
    }

    @ExceptionHandler(YooKassaError.class)
    ResponseEntity<byte[]> refused(YooKassaError e) {
        return e.response();
    }
}
