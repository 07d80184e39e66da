package io.moneytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.ApiTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The lease renewal extends every claim this instance holds, in one statement, and only those. */
class IdempotencyLeaseRenewalTest extends ApiTest {

    @Autowired
    IdempotencyClaims claims;

    private boolean live(String scope, String key) {
        return jdbc.sql("""
                        select lease_expires_at > now() + interval '5 seconds' from idempotency_keys
                        where api_key_id = :api and key = :key""")
                .param("api", scope).param("key", key).query(Boolean.class).single();
    }

    private void expire(String scope) {
        jdbc.sql("update idempotency_keys set lease_expires_at = now() - interval '1 second' where api_key_id = :api")
                .param("api", scope).update();
    }

    @Test
    void renewal_extends_the_leases_of_the_claims_held_here_and_no_other() {
        String scope = "test_" + UUID.randomUUID();
        String awkward = "key \"with\" {braces}, commas\\and backslashes";
        assertThat(claims.claim(scope, "first", new byte[] {1})).isInstanceOf(IdempotencyClaims.Claimed.class);
        assertThat(claims.claim(scope, awkward, new byte[] {2})).isInstanceOf(IdempotencyClaims.Claimed.class);
        jdbc.sql("""
                insert into idempotency_keys (api_key_id, key, request_hash, status, claimed_by, lease_expires_at)
                values (:api, 'elsewhere', '\\x03', 'in_progress', 'another-instance', now())""")
                .param("api", scope).update();
        expire(scope);

        claims.renew();

        assertThat(live(scope, "first")).isTrue();
        assertThat(live(scope, awkward)).isTrue();
        assertThat(live(scope, "elsewhere")).as("another instance's claim").isFalse();

        assertThat(claims.complete(scope, "first", 200, new byte[0], "application/json")).isTrue();
        claims.release(scope, awkward);
        expire(scope);
        claims.renew();
        assertThat(jdbc.sql("select count(*) from idempotency_keys where api_key_id = :api and lease_expires_at > now()")
                .param("api", scope).query(Long.class).single()).as("nothing held any more").isZero();
    }
}
