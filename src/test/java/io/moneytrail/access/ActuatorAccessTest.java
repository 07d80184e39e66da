package io.moneytrail.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.database.DatabaseEndpoint;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import io.moneytrail.testing.SecondInstance;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Health details and metrics are an admin's, or the loopback management port's; anyone else
 * sees {@code {"status":"UP"}} and nothing more.
 */
class ActuatorAccessTest extends ApiTest {

    @Autowired
    DatabaseEndpoint database;

    @Test
    void anonymous_health_is_the_status_and_nothing_else() {
        RawHttp.Response health = RawHttp.send(port, "GET", "/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(iterable(health.json().propertyNames())).containsExactly("status");
        assertThat(health.body()).doesNotContain("ledger", "totals", "PostgreSQL", "path", "diskSpace");
    }

    @Test
    void a_store_key_sees_the_status_only_and_an_admin_key_sees_the_details() {
        String store = api.post("/v1/api_keys", "{\"name\":\"actuator store\",\"role\":\"store\"}").expect(201)
                .text("secret");
        assertThat(iterable(new Api(api.base(), store).get("/actuator/health").expect(200).body().propertyNames()))
                .containsExactly("status");
        Api.Response admin = api.get("/actuator/health").expect(200);
        assertThat(admin.body().path("components").has("db")).isTrue();
        assertThat(admin.body().path("components").has("ledger")).isTrue();
    }

    @Test
    void metrics_and_prometheus_need_an_admin_key() {
        assertThat(RawHttp.send(port, "GET", "/actuator/prometheus").status()).isEqualTo(401);
        assertThat(RawHttp.send(port, "GET", "/actuator/metrics").status()).isEqualTo(401);
        assertThat(RawHttp.send(port, "GET", "/actuator/health/db").status()).isEqualTo(401);
        String viewer = api.post("/v1/api_keys", "{\"name\":\"actuator viewer\",\"role\":\"viewer\"}").expect(201)
                .text("secret");
        RawHttp.Response refused = RawHttp.send(port, "GET", "/actuator/prometheus", "Authorization: Bearer " + viewer);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("permission_denied");

        RawHttp.Response prometheus = RawHttp.send(port, "GET", "/actuator/prometheus", "Authorization: Bearer " + api.key());
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.body()).contains("# TYPE").contains("jvm_memory_used_bytes");
        api.get("/actuator/metrics").expect(200);
    }

    @Test
    void a_management_port_listens_on_127_0_0_1_and_answers_details_and_prometheus_without_a_key() {
        try (ConfigurableApplicationContext second = SecondInstance.start(database, api, "management",
                "--management.server.port=0", "--moneytrail.scheduling.enabled=false")) {
            int managementPort = Integer.parseInt(second.getEnvironment().getProperty("local.management.port"));
            int servicePort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
            assertThat(second.getBean(ManagementServerProperties.class).getAddress())
                    .isEqualTo(InetAddress.getLoopbackAddress());

            RawHttp.Response health = RawHttp.send(managementPort, "GET", "/actuator/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().path("components").has("db")).as(health.body()).isTrue();
            RawHttp.Response prometheus = RawHttp.send(managementPort, "GET", "/actuator/prometheus");
            assertThat(prometheus.status()).isEqualTo(200);
            assertThat(prometheus.body()).contains("# TYPE");

            // the service's own port neither serves the actuator nor lets the management port's trust leak into it
            assertThat(RawHttp.send(servicePort, "GET", "/actuator/prometheus").status()).isIn(401, 404);
            assertThat(RawHttp.send(servicePort, "GET", "/v1/orders").status()).isEqualTo(401);
        }
    }

    private static List<String> iterable(java.util.Collection<String> names) {
        return List.copyOf(names);
    }
}
