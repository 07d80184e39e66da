package io.moneytrail.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who gets into the back office, over plain HTTP (what a browser hides: statuses, redirects,
 * forms posted without their token): the first admin, the login form, the 403 page, CSRF,
 * throttled logins, users created and disabled through {@code /v1/users}.
 */
class BackofficeAccessTest extends BackofficeTest {

    @Test
    void the_first_start_wrote_the_admin_password_for_its_owner_only_and_it_logs_in() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(DATA_DIR.resolve("admin-password"))))
                .isEqualTo("rw-------");
        Session session = new Session(base());
        Session.Page login = session.login("admin", admin().password());
        assertThat(login.status()).isEqualTo(302);
        assertThat(login.location()).endsWith("/admin");
        Session.Page dashboard = session.get("/admin");
        assertThat(dashboard.status()).isEqualTo(200);
        assertThat(dashboard.body()).contains("Dashboard").contains("Signed in as admin (admin)");
    }

    @Test
    void a_stranger_is_sent_to_the_login_page() {
        Session stranger = new Session(base());
        for (String path : new String[] {"/admin", "/admin/orders", "/admin/orders/ord_x", "/admin/audit-log"}) {
            Session.Page page = stranger.get(path);
            assertThat(page.status()).as(path).isEqualTo(302);
            assertThat(page.location()).as(path).endsWith("/admin/login");
        }
        assertThat(stranger.get("/admin/login").status()).isEqualTo(200);
    }

    @Test
    void a_wrong_password_returns_to_the_login_page_with_an_error() {
        Session session = new Session(base());
        Session.Page login = session.login(user("viewer").username(), "not-the-password");
        assertThat(login.location()).endsWith("/admin/login?error");
        assertThat(session.get("/admin/login?error").body()).contains("The user name or the password is wrong");
        assertThat(session.get("/admin").status()).isEqualTo(302);
    }

    @Test
    void a_user_without_the_role_gets_the_403_page_not_a_redirect() {
        Session viewer = new Session(base());
        viewer.login(user("viewer").username(), user("viewer").password());
        Session.Page audit = viewer.get("/admin/audit-log");
        assertThat(audit.status()).isEqualTo(403);
        assertThat(audit.body()).contains("Not allowed").contains("viewer");
        Session.Page action = viewer.get("/admin/orders/ord_x/actions/refund");
        assertThat(action.status()).isEqualTo(403);
        Session operator = new Session(base());
        operator.login(user("operator").username(), user("operator").password());
        assertThat(operator.get("/admin/settings/access").status()).isEqualTo(403);
        assertThat(operator.get("/admin/orders").status()).isEqualTo(200);
    }

    @Test
    void the_last_active_admin_has_no_disable_button_and_disabling_it_is_refused_on_the_page() {
        // the test JVM's only admin user is the first start's (UsersCommandTest relies on it too)
        assertThat(jdbc.sql("select count(*) from users where role = 'admin' and disabled_at is null")
                .query(Long.class).single()).isEqualTo(1);
        Session session = new Session(base());
        session.login("admin", admin().password());
        Session.Page page = session.get("/admin/settings/access");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).as("no Disable button for the last admin")
                .doesNotContain("/admin/settings/access/users/admin/disable")
                .contains("the last admin: add another before disabling it");
        Session.Page posted = session.post("/admin/settings/access/users/admin/disable",
                Map.of("_csrf", page.csrf()));
        assertThat(posted.status()).isEqualTo(302);
        assertThat(posted.location()).endsWith("/admin/settings/access");
        assertThat(session.get("/admin/settings/access").body())
                .contains("admin is the last active admin user and stays enabled");
        assertThat(jdbc.sql("select disabled_at is null from users where username = 'admin'")
                .query(Boolean.class).single()).isTrue();
    }

    @Test
    void a_form_posted_without_its_csrf_token_is_refused() {
        Session operator = new Session(base());
        operator.login(user("operator").username(), user("operator").password());
        Session.Page posted = operator.post("/admin/orders/ord_x/actions/cancel", Map.of("key", "k", "reason", "r"));
        assertThat(posted.status()).isEqualTo(403);
        Session stranger = new Session(base());
        Session.Page login = stranger.post("/admin/login", Map.of("username", "admin", "password", admin().password()));
        assertThat(login.status()).isEqualTo(403);
    }

    @Test
    void logins_are_throttled_per_user_name_after_five_failures() {
        Login target = newUser("throttled-" + System.nanoTime(), "viewer");
        Session session = new Session(base());
        for (int i = 0; i < 5; i++) {
            assertThat(session.login(target.username(), "wrong-" + i).location()).endsWith("?error");
        }
        assertThat(session.login(target.username(), target.password()).location()).endsWith("/admin/login?throttled");
        assertThat(new Session(base()).login(target.username(), target.password()).location())
                .as("from the same address, a new session is refused too").endsWith("?throttled");
        assertThat(session.get("/admin/login?throttled").body()).contains("Too many failed attempts");
    }

    @Test
    void the_session_cookie_never_authenticates_the_api() throws Exception {
        Session session = new Session(base());
        session.login("admin", admin().password());
        HttpClient http = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base() + "/v1/orders")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void an_admin_key_creates_a_user_whose_password_is_shown_once_and_a_store_key_may_not() {
        String name = "clerk-" + System.nanoTime();
        Api.Response created = api.post("/v1/users", "{\"username\":\"" + name + "\",\"role\":\"accountant\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text("username")).isEqualTo(name);
        assertThat(created.text("role")).isEqualTo("accountant");
        assertThat(created.text("password")).hasSize(20);
        Api.Response listed = api.get("/v1/users").expect(200);
        assertThat(listed.raw()).contains(name).doesNotContain(created.text("password")).doesNotContain("\"password\"");
        assertThat(api.post("/v1/users", "{\"username\":\"" + name + "\",\"role\":\"viewer\"}").errorCode())
                .isEqualTo("user_exists");
        assertThat(api.post("/v1/users", "{\"username\":\"x-" + System.nanoTime() + "\",\"role\":\"store\"}")
                .errorCode()).isEqualTo("parameter_invalid");
        String storeKey = api.post("/v1/api_keys", "{\"name\":\"shop\",\"role\":\"store\"}").text("secret");
        assertThat(new Api(api.base(), storeKey).post("/v1/users", "{\"username\":\"y\",\"role\":\"viewer\"}").status())
                .isEqualTo(403);
        assertThat(jdbc.sql("select count(*) from audit_log where action = 'user.create' and object_id = :name")
                .param("name", name).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void a_disabled_user_cannot_log_in_and_its_open_session_ends() {
        Login clerk = newUser("leaver-" + System.nanoTime(), "operator");
        Session session = new Session(base());
        assertThat(session.login(clerk.username(), clerk.password()).location()).endsWith("/admin");
        assertThat(session.get("/admin/orders").status()).isEqualTo(200);
        assertThat(api.post("/v1/users/" + clerk.username() + "/disable", "{}").text("disabled")).isNotBlank();
        Session.Page after = session.get("/admin/orders");
        assertThat(after.location()).as("status %d", after.status()).endsWith("/admin/login?expired");
        assertThat(new Session(base()).login(clerk.username(), clerk.password()).location()).endsWith("?error");
    }

    @Test
    void the_language_follows_accept_language_and_the_switch_is_remembered() {
        Session russian = new Session(base(), "ru-RU,ru;q=0.9,en;q=0.5");
        assertThat(russian.get("/admin/login").body()).contains("Вход").contains("lang=\"ru\"");
        Session english = new Session(base(), "de-DE,en;q=0.5");
        assertThat(english.get("/admin/login").body()).contains("Log in").contains("lang=\"en\"");
        english.get("/admin/login?lang=ru");
        assertThat(english.get("/admin/login").body()).as("the cookie remembers the choice").contains("Вход");
    }
}
