package io.moneytrail.sandbox;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sandbox's merchant API ({@code /sandbox/api}, Bearer-authenticated by
 * {@link SandboxAuthFilter}). Bodies are read as raw bytes and validated field by field, so
 * every bad input is a precise 400 rather than a binding failure.
 */
@RestController
@RequestMapping("/sandbox/api")
@ConditionalOnSandbox
class SandboxApiController {

    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Every sandbox request fits in far less; the bound keeps a runaway client from filling memory. */
    static final int BODY_BYTES_MAX = 64 * 1024;

    private final SandboxService service;
    private final SandboxFaults faults;
    private final SandboxProperties properties;
    private final SandboxReports reports;

    SandboxApiController(SandboxService service, SandboxFaults faults, SandboxProperties properties,
                         SandboxReports reports) {
        this.service = service;
        this.faults = faults;
        this.properties = properties;
        this.reports = reports;
    }

    // ---------------------------------------------------------------- reports

    /** The balance report (CSV) that Moneytrail's reconciliation imports; see {@link SandboxReports}. */
    @GetMapping("/reports/balance_transactions")
    ResponseEntity<byte[]> balanceTransactions(@RequestParam(name = "from", required = false) String from,
                                               @RequestParam(name = "to", required = false) String to) {
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .body(reports.balanceTransactions(from, to));
    }

    // ---------------------------------------------------------------- payments

    @PostMapping("/payments")
    ResponseEntity<byte[]> create(@RequestHeader(value = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                  HttpServletRequest request) {
        // the payment does not exist yet, so only the global fault profile can apply
        return withApiFault(faults.global(), () -> service.create(request.getRequestURI(), key(idempotencyKey),
                SandboxService.NewPayment.from(body(request))));
    }

    @GetMapping("/payments/{id}")
    ResponseEntity<byte[]> payment(@PathVariable String id) {
        return json(service.payment(id));
    }

    @GetMapping("/payments")
    ResponseEntity<byte[]> payments(@RequestParam(name = "merchant_reference", required = false) String reference,
                                    @RequestParam(name = "starting_after", required = false) String startingAfter,
                                    @RequestParam(name = "limit", required = false) Integer limit) {
        if (reference == null || reference.isBlank()) {
            // every payment, oldest first, a page at a time (operators, and the simulation's checks)
            int size = limit == null ? 100 : limit;
            if (size < 1 || size > SandboxService.PAYMENTS_PAGE_SIZE) {
                throw SandboxException.badRequest("parameter_invalid",
                        "limit must be from 1 to " + SandboxService.PAYMENTS_PAGE_SIZE);
            }
            return json(service.payments(startingAfter, size));
        }
        return json(service.paymentsByMerchantReference(reference));
    }

    @PostMapping("/payments/{id}/capture")
    ResponseEntity<byte[]> capture(@PathVariable String id,
                                   @RequestHeader(value = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                   HttpServletRequest request) {
        return withApiFault(faults.forPayment(id), () -> {
            Long amount = body(request).integer("amount");
            return service.capture(request.getRequestURI(), key(idempotencyKey), id,
                    amount == null ? null : SandboxService.validAmount("amount", amount));
        });
    }

    /** Takes no parameters; a body, if any, is ignored. */
    @PostMapping("/payments/{id}/cancel")
    ResponseEntity<byte[]> cancel(@PathVariable String id,
                                  @RequestHeader(value = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                  HttpServletRequest request) {
        return withApiFault(faults.forPayment(id),
                () -> service.cancel(request.getRequestURI(), key(idempotencyKey), id));
    }

    // ---------------------------------------------------------------- refunds

    @PostMapping("/refunds")
    ResponseEntity<byte[]> refund(@RequestHeader(value = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                  HttpServletRequest request) {
        // parsed first: the payment it names decides which fault profile applies
        SandboxService.NewRefund refund = SandboxService.NewRefund.from(body(request));
        return withApiFault(faults.forPayment(refund.payment()),
                () -> service.refund(request.getRequestURI(), key(idempotencyKey), refund));
    }

    @GetMapping("/refunds/{id}")
    ResponseEntity<byte[]> refund(@PathVariable String id) {
        return json(service.refund(id));
    }

    // ---------------------------------------------------------------- events and faults (test tooling)

    @GetMapping("/events")
    ResponseEntity<byte[]> events(@RequestParam(name = "payment", required = false) String payment) {
        return json(service.events(payment));
    }

    /** Sets the global profile ({@code "payment": null}) or one payment's. */
    @PostMapping("/faults")
    ResponseEntity<byte[]> setFaults(@RequestHeader(value = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                     HttpServletRequest request) {
        SandboxJson.Body fields = body(request);
        String payment = fields.string("payment", SandboxService.ID_MAX);
        FaultProfile profile = FaultProfile.parse(fields, properties.apiTimeoutMs());
        return reply(service.setFaults(request.getRequestURI(), key(idempotencyKey), payment, profile));
    }

    /** The global profile, or with {@code ?payment=} the profile that applies to that payment. */
    @GetMapping("/faults")
    ResponseEntity<byte[]> faults(@RequestParam(name = "payment", required = false) String payment) {
        return json(service.faults(payment));
    }

    /** Resets the global profile to normal, or with {@code ?payment=} makes the payment follow it again. */
    @DeleteMapping("/faults")
    ResponseEntity<byte[]> resetFaults(@RequestParam(name = "payment", required = false) String payment) {
        return json(service.resetFaults(payment));
    }

    // ---------------------------------------------------------------- helpers

    private static ResponseEntity<byte[]> withApiFault(FaultProfile profile, Supplier<SandboxService.Reply> call) {
        return SandboxApiFaults.around(profile, () -> reply(call.get()));
    }

    /** The JSON body, read here rather than bound, to bound its size and name every bad field. */
    private static SandboxJson.Body body(HttpServletRequest request) {
        byte[] raw;
        try {
            raw = request.getInputStream().readNBytes(BODY_BYTES_MAX + 1);
        } catch (IOException e) {
            throw SandboxException.badRequest("invalid_json", "request body could not be read");
        }
        if (raw.length > BODY_BYTES_MAX) {
            throw SandboxException.bodyTooLarge(BODY_BYTES_MAX);
        }
        return SandboxJson.body(raw);
    }

    private static String key(String idempotencyKey) {
        if (idempotencyKey == null) {
            return null;
        }
        if (idempotencyKey.isBlank() || idempotencyKey.length() > SandboxService.IDEMPOTENCY_KEY_MAX) {
            throw SandboxException.badRequest("parameter_invalid", IDEMPOTENCY_KEY + " must be 1 to "
                    + SandboxService.IDEMPOTENCY_KEY_MAX + " characters");
        }
        return idempotencyKey;
    }

    private static ResponseEntity<byte[]> reply(SandboxService.Reply reply) {
        return ResponseEntity.status(reply.status()).contentType(MediaType.APPLICATION_JSON).body(reply.body());
    }

    private static ResponseEntity<byte[]> json(Map<String, Object> body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(SandboxJson.bytes(body));
    }
}
