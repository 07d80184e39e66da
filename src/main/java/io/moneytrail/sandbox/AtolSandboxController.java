package io.moneytrail.sandbox;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test tooling of the ATOL dialect on the sandbox's own API (Bearer sandbox key, like
 * {@code /sandbox/api/faults}): its faults, globally or for one {@code external_id}, and the
 * documents it holds, as ATOL's report renders them.
 *
 * <pre>
 * POST   /sandbox/api/atol/faults {"external_id": "rcp_…" | null, "outcome": "fail", "error_type": "driver",
 *                                  "error_code": -3897, "wait_ms": 120000, "api": "timeout", "api_timeout_ms": 5000}
 * GET    /sandbox/api/atol/faults[?external_id=]
 * DELETE /sandbox/api/atol/faults[?external_id=]
 * GET    /sandbox/api/atol/documents?external_id=
 * </pre>
 */
@RestController
@RequestMapping("/sandbox/api/atol")
@ConditionalOnSandbox
class AtolSandboxController {

    private final AtolFaults faults;
    private final AtolCashRegister register;

    AtolSandboxController(AtolFaults faults, AtolCashRegister register) {
        this.faults = faults;
        this.register = register;
    }

    @PostMapping("/faults")
    ResponseEntity<byte[]> setFaults(HttpServletRequest request) {
        SandboxJson.Body body = body(request);
        String externalId = body.string("external_id", AtolRequests.EXTERNAL_ID_MAX);
        AtolFaults.Profile profile = AtolFaults.Profile.parse(body);
        faults.set(externalId, profile, register.now());
        if (externalId != null) {
            register.replan(externalId, profile, register.now());
        }
        return json(profile.toJson(externalId));
    }

    @GetMapping("/faults")
    ResponseEntity<byte[]> faults(@RequestParam(name = "external_id", required = false) String externalId) {
        return json(faults.forDocument(externalId).toJson(externalId));
    }

    @DeleteMapping("/faults")
    ResponseEntity<byte[]> resetFaults(@RequestParam(name = "external_id", required = false) String externalId) {
        faults.set(externalId, null, register.now());
        if (externalId != null) {
            register.replan(externalId, faults.global(), register.now());
        }
        return json(faults.forDocument(externalId).toJson(externalId));
    }

    /** The documents registered under {@code external_id} (in any group), as ATOL's report gives them. */
    @GetMapping("/documents")
    ResponseEntity<byte[]> documents(@RequestParam(name = "external_id") String externalId) {
        List<Map<String, Object>> found = register.byExternalId(externalId).stream()
                .map(d -> register.report(d.uuid(), register.now()).orElseThrow()).toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("data", found);
        return json(answer);
    }

    private static SandboxJson.Body body(HttpServletRequest request) {
        try {
            byte[] raw = request.getInputStream().readNBytes(SandboxApiController.BODY_BYTES_MAX + 1);
            if (raw.length > SandboxApiController.BODY_BYTES_MAX) {
                throw SandboxException.bodyTooLarge(SandboxApiController.BODY_BYTES_MAX);
            }
            return SandboxJson.body(raw);
        } catch (IOException e) {
            throw SandboxException.badRequest("invalid_json", "request body could not be read");
        }
    }

    private static ResponseEntity<byte[]> json(Object body) {
        return ResponseEntity.ok().contentType(new MediaType("application", "json", StandardCharsets.UTF_8))
                .body(SandboxJson.bytes(body));
    }
}
