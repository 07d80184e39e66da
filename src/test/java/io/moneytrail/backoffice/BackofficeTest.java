package io.moneytrail.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Base of the back office's tests: the running service (one shared context, see
 * {@link ApiTest}), its first admin's password as the first start wrote it, and one user per
 * role, created once per test JVM through {@code POST /v1/users}.
 */
abstract class BackofficeTest extends ApiTest {

    /** A user name and the password {@code POST /v1/users} showed once. */
    record Login(String username, String password) {
    }

    private static final Map<String, Login> USERS = new ConcurrentHashMap<>();

    protected String base() {
        return "http://localhost:" + port;
    }

    protected Login admin() {
        try {
            return new Login("admin", Files.readString(DATA_DIR.resolve("admin-password")).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test JVM's user with this role ({@code admin} is the first start's). */
    protected Login user(String role) {
        if (role.equals("admin")) {
            return admin();
        }
        return USERS.computeIfAbsent(role, r -> newUser(r + "-" + Long.toString(System.nanoTime(), 36), r));
    }

    protected Login newUser(String username, String role) {
        Api.Response created = api.post("/v1/users", "{\"username\":\"" + username + "\",\"role\":\"" + role + "\"}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return new Login(username, created.text("password"));
    }

    /** The order's (first) payment's id. */
    protected String paymentOf(String order) {
        return jdbc.sql("select id from payments where order_id = :o order by id limit 1").param("o", order)
                .query(String.class).single();
    }

    /** An order of {@code quantity} × {@code unitAmount} EUR, paid through the sandbox's page (captured). */
    protected String paidOrder(long unitAmount, long quantity) {
        String order = api.createOrder(unitAmount, quantity).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        String redirect = payment.body().path("next_action").path("redirect_url").asText();
        assertThat(api.completeSandboxPage(redirect, "succeeded")).isIn(200, 303);
        api.eventually("/v1/orders/" + order, r -> "paid".equals(r.text("payment_status")));
        return order;
    }
}
