package io.moneytrail.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.database.DataDirectory;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.transaction.annotation.Transactional;

class ApiKeysTest extends ApiTest {

    @Autowired
    ApiKeys keys;
    @Autowired
    DataDirectory dataDirectory;
    @Value("${moneytrail.api.key-cache-ttl}")
    Duration cacheTtl;

    @Test
    void the_generated_first_key_is_an_admin_key() {
        assertThat(jdbc.sql("select role from api_keys where key_sha256 = sha256(convert_to(:k, 'UTF8'))")
                .param("k", api.key()).query(String.class).single()).isEqualTo("admin");
    }

    @Test
    void creating_a_key_shows_its_secret_once_and_listing_never_shows_secrets() {
        Api.Response created = api.post("/v1/api_keys", "{\"name\":\"shop backend\",\"role\":\"store\"}").expect(201);
        assertThat(created.text("object")).isEqualTo("api_key");
        assertThat(created.text("id")).startsWith("key_");
        assertThat(created.text("role")).isEqualTo("store");
        assertThat(created.text("name")).isEqualTo("shop backend");
        assertThat(created.number("created")).isPositive();
        String secret = created.text("secret");
        assertThat(secret).startsWith("sk_").hasSizeGreaterThan(40);

        Api.Response list = api.get("/v1/api_keys").expect(200);
        assertThat(list.text("object")).isEqualTo("list");
        assertThat(list.raw()).contains(created.text("id")).doesNotContain(secret).doesNotContain("\"secret\"");
        assertThat(api.get("/v1/api_keys/" + created.text("id")).expect(200).raw()).doesNotContain(secret);
        assertThat(jdbc.sql("select count(*) from api_keys where encode(key_sha256, 'escape') like '%' || :k || '%'")
                .param("k", secret).query(Long.class).single()).isZero();

        new Api(api.base(), secret).get("/v1/orders?limit=1").expect(200);
    }

    @Test
    void a_key_of_an_unknown_role_or_without_a_name_is_400() {
        Api.Response badRole = api.post("/v1/api_keys", "{\"name\":\"x\",\"role\":\"superuser\"}");
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.errorParam()).isEqualTo("role");
        assertThat(badRole.body().path("error").path("message").asText()).contains("accountant");
        assertThat(api.post("/v1/api_keys", "{\"role\":\"viewer\"}").errorParam()).isEqualTo("name");
    }

    @Test
    void a_revoked_key_gets_401_at_once_on_the_instance_that_revoked_it() {
        Api.Response created = api.post("/v1/api_keys", "{\"name\":\"to revoke\",\"role\":\"viewer\"}").expect(201);
        Api viewer = new Api(api.base(), created.text("secret"));
        viewer.get("/v1/orders?limit=1").expect(200);

        Api.Response revoked = api.send(api.request("/v1/api_keys/" + created.text("id")).DELETE().build());
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.number("revoked")).isPositive();

        Api.Response refused = viewer.get("/v1/orders?limit=1");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.errorCode()).isEqualTo("invalid_api_key");
    }

    @Test
    void a_key_revoked_by_another_instance_stops_working_within_the_cache_ttl() throws Exception {
        Api.Response created = api.post("/v1/api_keys", "{\"name\":\"revoked elsewhere\",\"role\":\"viewer\"}")
                .expect(201);
        Api viewer = new Api(api.base(), created.text("secret"));
        viewer.get("/v1/orders?limit=1").expect(200); // now cached here

        // what another instance (or `moneytrail keys revoke`) does: the database only, not this cache
        jdbc.sql("update api_keys set revoked_at = now() where id = :id").param("id", created.text("id")).update();
        long start = System.nanoTime();
        while (viewer.get("/v1/orders?limit=1").status() == 200) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(cacheTtl.plusSeconds(2));
            Thread.sleep(100);
        }
        assertThat(viewer.get("/v1/orders?limit=1").status()).isEqualTo(401);
        assertThat(cacheTtl).isLessThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    @Transactional // rolled back: the other admin keys of this test database come back
    void the_last_active_admin_key_cannot_be_revoked() {
        String last = keys.create("last admin", Role.ADMIN, ApiKeys.Origin.API).key().id();
        jdbc.sql("update api_keys set revoked_at = now() where role = 'admin' and id <> :id and revoked_at is null")
                .param("id", last).update();
        assertThatThrownBy(() -> keys.revoke(last)).isInstanceOf(MoneytrailException.class)
                .hasMessageContaining("last active admin key");
    }

    @Test
    void environment_keys_get_their_role_and_are_revoked_at_start_when_no_longer_configured() {
        String unique = UUID.randomUUID().toString().replace("-", "");
        String admin = "sk_env_admin_" + unique;
        String accountant = "sk_env_accountant_" + unique;
        String viaApi = api.post("/v1/api_keys", "{\"name\":\"made through the API\",\"role\":\"viewer\"}")
                .expect(201).text("secret");

        start(List.of(admin, "accountant:" + accountant));
        new Api(api.base(), admin).get("/v1/api_keys").expect(200);
        Api books = new Api(api.base(), accountant);
        books.get("/v1/ledger/trial-balance").expect(200);
        assertThat(books.get("/v1/api_keys").status()).isEqualTo(403);

        start(List.of(admin)); // the accountant key was removed from MONEYTRAIL_SECRET_KEYS
        assertThat(books.get("/v1/ledger/trial-balance").status()).isEqualTo(401);
        new Api(api.base(), admin).get("/v1/api_keys").expect(200);
        new Api(api.base(), viaApi).get("/v1/orders?limit=1").expect(200); // keys made otherwise stay

        start(List.of()); // none configured: every environment key is revoked, the generated one stays
        assertThat(new Api(api.base(), admin).get("/v1/api_keys").status()).isEqualTo(401);
        api.get("/v1/api_keys").expect(200);
    }

    @Test
    void a_configured_entry_is_an_admin_key_unless_written_role_colon_key() {
        assertThat(ConfiguredKey.parse("sk_live_0123456789abcdef").role()).isEqualTo(Role.ADMIN);
        assertThat(ConfiguredKey.parse("store:sk_live_0123456789abcdef"))
                .isEqualTo(new ConfiguredKey(Role.STORE, "sk_live_0123456789abcdef"));
        assertThat(ConfiguredKey.parse(" onec: sk_live_0123456789abcdef ").role()).isEqualTo(Role.ONEC);
        assertThatThrownBy(() -> ConfiguredKey.parse("boss:sk_live_0123456789abcdef"))
                .hasMessageContaining("unknown role 'boss'").hasMessageContaining("accountant");
        assertThatThrownBy(() -> ConfiguredKey.parse("short")).hasMessageContaining("16 to");
        assertThat(ConfiguredKey.parse("store:sk_live_0123456789abcdef").toString()).doesNotContain("sk_live");
    }

    /** What a start with this MONEYTRAIL_SECRET_KEYS does to the keys. */
    private void start(List<String> configured) {
        new KeyBootstrap(keys, dataDirectory, configured).run(null);
    }
}
