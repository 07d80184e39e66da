package io.moneytrail.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.moneytrail.access.ApiKeys;
import io.moneytrail.access.Role;
import io.moneytrail.money.MoneytrailException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** API keys and their roles (admin only, by the role table): create, list, revoke. */
@RestController
@RequestMapping("/v1/api_keys")
@Tag(name = "API keys")
class ApiKeysController {

    private final ApiKeys keys;

    ApiKeysController(ApiKeys keys) {
        this.keys = keys;
    }

    record CreateKey(String name, String role) {
    }

    /** {@code secret} is shown once, in the answer to the creation; {@code revoked} is null while active. */
    record KeyView(String id, String object, String name, String role, String origin,
                   @JsonInclude(JsonInclude.Include.NON_NULL) String secret, long created, Long revoked) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a key with a role; the answer shows its secret, once")
    KeyView create(@RequestBody(required = false) CreateKey body) {
        if (body == null) {
            throw MoneytrailException.invalid("parameter_missing", "name", "name and role are required");
        }
        if (body.role() == null) {
            throw MoneytrailException.invalid("parameter_missing", "role", "role is required");
        }
        Role role = Role.fromWire(body.role()).orElseThrow(() -> MoneytrailException.invalid("parameter_invalid",
                "role", "role must be one of " + Arrays.stream(Role.values()).map(Role::wireName).toList()));
        ApiKeys.NewKey created = keys.create(body.name(), role, ApiKeys.Origin.API);
        return view(created.key(), created.secret());
    }

    @GetMapping
    @Operation(summary = "List keys, active and revoked, newest first (never their secrets)")
    Views.ListView<KeyView> list() {
        return Views.list(keys.list().stream().map(k -> view(k, null)).toList(), false, "/v1/api_keys");
    }

    @GetMapping("/{id}")
    KeyView get(@PathVariable String id) {
        return view(keys.find(id).orElseThrow(() -> MoneytrailException.notFound("id", id)), null);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke a key; it stops working within moneytrail.api.key-cache-ttl on every instance")
    KeyView revoke(@PathVariable String id) {
        return view(keys.revoke(id), null);
    }

    private static KeyView view(ApiKeys.ApiKey key, String secret) {
        return new KeyView(key.id(), "api_key", key.name(), key.role().wireName(), key.origin(), secret,
                key.created().getEpochSecond(), key.revoked() == null ? null : key.revoked().getEpochSecond());
    }
}
