package io.moneytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthenticationTest extends ApiTest {

    @Test
    void the_first_start_generated_a_key_readable_by_the_owner_only_and_stored_only_its_hash() throws Exception {
        assertThat(Files.getPosixFilePermissions(DATA_DIR.resolve("secret-key")))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        assertThat(api.key()).startsWith("sk_").hasSizeGreaterThan(40);
        assertThat(jdbc.sql("select count(*) from api_keys where key_sha256 = sha256(convert_to(:k, 'UTF8'))")
                .param("k", api.key()).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from api_keys where encode(key_sha256, 'escape') like '%' || :k || '%'")
                .param("k", api.key()).query(Long.class).single()).isZero();
    }

    @Test
    void a_missing_or_wrong_key_gets_401_with_the_error_envelope() {
        Api.Response missing = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/v1/orders")).GET().build());
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.errorType()).isEqualTo("authentication_error");

        Api.Response wrong = new Api(api.base(), "sk_wrong").get("/v1/orders");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.errorCode()).isEqualTo("invalid_api_key");

        Api.Response writeWithoutKey = new Api(api.base(), "nope").post("/v1/orders", "{}");
        assertThat(writeWithoutKey.status()).isEqualTo(401);
    }

    @Test
    void openapi_document_is_served_and_describes_the_api() {
        Api.Response docs = new Api(api.base(), "").get("/v3/api-docs").expect(200);
        assertThat(docs.body().path("paths").has("/v1/orders")).isTrue();
        assertThat(docs.body().path("paths").has("/v1/orders/{id}/payments")).isTrue();
        assertThat(docs.body().path("paths").has("/v1/refunds")).isTrue();
        assertThat(docs.body().path("paths").has("/v1/orders/{id}/timeline")).isTrue();
        assertThat(docs.body().path("components").path("securitySchemes").has("secretKey")).isTrue();
    }
}
