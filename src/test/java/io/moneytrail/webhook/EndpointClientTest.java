package io.moneytrail.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.Receiver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.DnsResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outbound HTTP client connects only to addresses its resolver checked, so a name cannot
 * answer one address when it is checked and another when it is connected to; and it stays
 * bounded however an endpoint answers. Runs without Spring: a real receiver on 127.0.0.1 and
 * a resolver whose answers the test scripts.
 */
class EndpointClientTest {

    /** Answers {@code name} with the scripted addresses in turn (the last one repeats); counts lookups. */
    static final class ScriptedResolver implements DnsResolver {
        private final String name;
        private final List<String> answers;
        final AtomicInteger lookups = new AtomicInteger();

        ScriptedResolver(String name, String... answers) {
            this.name = name;
            this.answers = List.of(answers);
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            if (!host.equals(name)) {
                if (host.contains(":") || host.matches("[0-9.]+")) {
                    return InetAddress.getAllByName(host); // a literal: parsed, no lookup
                }
                throw new UnknownHostException(host);
            }
            int n = lookups.getAndIncrement();
            return new InetAddress[] {InetAddress.getByName(answers.get(Math.min(n, answers.size() - 1)))};
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        Collections.reverse(opened);
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private EndpointClient client(EndpointAddressPolicy policy, long requestTimeoutMs) {
        OutboundProperties properties = new OutboundProperties(null, null, null, null, null, 500L, requestTimeoutMs,
                null, null, null, policy.allowPrivate());
        EndpointClient client = new EndpointClient(policy, properties);
        opened.add(client::stop);
        return client;
    }

    private Receiver receiver() {
        Receiver receiver = Receiver.start();
        opened.add(receiver);
        return receiver;
    }

    private static int port(Receiver receiver) {
        return java.net.URI.create(receiver.url()).getPort();
    }

    private static final byte[] BODY = "{\"id\":\"evt_1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void a_name_rebound_to_loopback_after_registration_is_never_connected_to() throws Exception {
        Receiver receiver = receiver();
        ScriptedResolver rebinding = new ScriptedResolver("store.example.com", "93.184.216.34", "127.0.0.1");
        EndpointAddressPolicy policy = new EndpointAddressPolicy(false, rebinding);
        String url = "http://store.example.com:" + port(receiver) + "/hooks";

        assertThatCode(() -> policy.checkRegistration(url)).doesNotThrowAnyException(); // public at registration
        EndpointClient.Attempt attempt = client(policy, 1000).post(url, BODY, Map.of());

        assertThat(attempt.delivered()).isFalse();
        assertThat(attempt.status()).isNull();
        assertThat(attempt.error()).startsWith("address not allowed:").contains("loopback address (127.0.0.1)");
        assertThat(rebinding.lookups.get()).isEqualTo(2); // once at registration, once for the connection
        Api.sleep(200);
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void a_name_rebound_to_cloud_metadata_is_refused_even_with_allow_private() {
        ScriptedResolver rebinding = new ScriptedResolver("store.example.com", "93.184.216.34", "169.254.169.254");
        EndpointAddressPolicy policy = new EndpointAddressPolicy(true, rebinding);
        String url = "http://store.example.com/latest/meta-data/";

        assertThatCode(() -> policy.checkRegistration(url)).doesNotThrowAnyException();
        EndpointClient.Attempt attempt = client(policy, 1000).post(url, BODY, Map.of());

        assertThat(attempt.error()).startsWith("address not allowed:").contains("link-local address (169.254.169.254)");
    }

    @Test
    void the_connection_goes_to_the_checked_address_and_carries_the_url_host() {
        Receiver receiver = receiver();
        // store.example.com is in no real DNS: the request can only arrive through our resolver's answer
        ScriptedResolver names = new ScriptedResolver("store.example.com", "127.0.0.1");
        EndpointClient client = client(new EndpointAddressPolicy(true, names), 1000);

        EndpointClient.Attempt attempt = client.post("http://store.example.com:" + port(receiver) + "/hooks", BODY,
                Map.of(OutboundDelivery.EVENT_ID_HEADER, "evt_1"));

        assertThat(attempt.delivered()).isTrue();
        assertThat(attempt.status()).isEqualTo(200);
        assertThat(receiver.received()).singleElement().satisfies(r -> {
            assertThat(r.eventId()).isEqualTo("evt_1");
            assertThat(r.body()).isEqualTo(BODY);
        });
        assertThat(names.lookups.get()).isEqualTo(1);
    }

    @Test
    void an_address_refused_at_send_time_is_a_failed_attempt_without_a_connection() {
        Receiver receiver = receiver();
        EndpointClient client = client(new EndpointAddressPolicy(false, new ScriptedResolver("none", "0.0.0.0")), 1000);

        assertThat(client.post(receiver.url(), BODY, Map.of()).error())
                .startsWith("address not allowed:").contains("127.0.0.1");
        assertThat(client.post("http://2130706433:" + port(receiver) + "/hooks", BODY, Map.of()).error())
                .startsWith("url not allowed:");
        assertThat(client.post("http://user:pw@127.0.0.1:" + port(receiver) + "/hooks", BODY, Map.of()).error())
                .startsWith("url not allowed:");
        Api.sleep(200);
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void an_endless_answer_is_read_only_up_to_the_bound() throws Exception {
        HttpServer endless = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        endless.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0); // chunked, no end
            byte[] chunk = new byte[8192];
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 1_000_000; i++) {
                    out.write(chunk);
                }
            } catch (IOException clientWentAway) {
                // expected: the client stops reading
            }
        });
        endless.start();
        opened.add(() -> endless.stop(0));
        EndpointClient client = client(new EndpointAddressPolicy(true, new ScriptedResolver("none", "0.0.0.0")), 5000);

        long started = System.nanoTime();
        EndpointClient.Attempt attempt = client.post("http://127.0.0.1:" + endless.getAddress().getPort() + "/",
                BODY, Map.of());

        assertThat(attempt.status()).as(attempt.toString()).isEqualTo(200);
        assertThat(attempt.delivered()).isTrue();
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(3000);
    }

    @Test
    void an_answer_whose_body_trickles_is_cut_at_the_deadline() throws Exception {
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        slow.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    out.write('.');
                    out.flush();
                    Api.sleep(100); // each read returns within the read timeout, the whole never ends
                }
            } catch (IOException clientWentAway) {
                // expected
            }
        });
        slow.start();
        opened.add(() -> slow.stop(0));
        EndpointClient client = client(new EndpointAddressPolicy(true, new ScriptedResolver("none", "0.0.0.0")), 1000);

        long started = System.nanoTime();
        EndpointClient.Attempt attempt = client.post("http://127.0.0.1:" + slow.getAddress().getPort() + "/",
                BODY, Map.of());

        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(attempt.status()).as(attempt.toString()).isEqualTo(200); // the answer is its status line
        assertThat(elapsedMs).isBetween(1000L, 4000L); // connect 500 + request 1000 ms, then cancelled
    }

    @Test
    void an_endpoint_that_never_answers_times_out() throws Exception {
        HttpServer silent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        silent.createContext("/", exchange -> Api.sleep(2500));
        silent.start();
        opened.add(() -> silent.stop(0));
        EndpointClient client = client(new EndpointAddressPolicy(true, new ScriptedResolver("none", "0.0.0.0")), 1000);

        long started = System.nanoTime();
        EndpointClient.Attempt attempt = client.post("http://127.0.0.1:" + silent.getAddress().getPort() + "/",
                BODY, Map.of());

        assertThat(attempt.status()).isNull();
        assertThat(attempt.interrupted()).isFalse();
        assertThat(attempt.error()).startsWith("timeout");
        assertThat((System.nanoTime() - started) / 1_000_000).isBetween(900L, 3000L);
    }

    @Test
    void a_redirect_is_not_followed_it_is_a_failed_attempt() throws Exception {
        Receiver target = receiver();
        HttpServer redirecting = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        redirecting.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Location", target.url());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        redirecting.start();
        opened.add(() -> redirecting.stop(0));
        EndpointClient client = client(new EndpointAddressPolicy(true, new ScriptedResolver("none", "0.0.0.0")), 1000);

        EndpointClient.Attempt attempt = client.post("http://127.0.0.1:" + redirecting.getAddress().getPort() + "/",
                BODY, Map.of());

        assertThat(attempt.status()).isEqualTo(302);
        assertThat(attempt.delivered()).isFalse();
        Api.sleep(200);
        assertThat(target.received()).isEmpty();
    }

    @Test
    void tls_certificates_are_verified_against_the_url_host_not_the_address_connected_to() throws Exception {
        Path dir = Files.createTempDirectory("moneytrail-tls-test");
        Path keystore = dir.resolve("store.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "store", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=store.example.com", "-ext", "SAN=dns:store.example.com", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        // the client trusts this certificate: only the name can make it fail
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);

        AtomicInteger requests = new AtomicInteger();
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        https.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        https.start();
        opened.add(() -> https.stop(0));
        int port = https.getAddress().getPort();
        DnsResolver names = new EndpointAddressPolicyTest.TableResolver(Map.of(
                "store.example.com", List.of("127.0.0.1"), "other.example.com", List.of("127.0.0.1")));
        EndpointAddressPolicy policy = new EndpointAddressPolicy(true, names);
        // generous timeouts: a first TLS handshake on a loaded 2-core machine took over a second once,
        // and this test is about the name check, not about time
        OutboundProperties properties = new OutboundProperties(null, null, null, null, null, 5_000L, 15_000L,
                null, null, null, true);
        EndpointClient client = new EndpointClient(policy, properties, clientTls);
        opened.add(client::stop);

        EndpointClient.Attempt matching = client.post("https://store.example.com:" + port + "/hooks", BODY, Map.of());
        EndpointClient.Attempt mismatched = client.post("https://other.example.com:" + port + "/hooks", BODY, Map.of());

        assertThat(matching.status()).as(matching.toString()).isEqualTo(200);
        assertThat(mismatched.status()).isNull();
        assertThat(mismatched.error()).as(mismatched.toString()).containsIgnoringCase("ssl");
        assertThat(requests.get()).isEqualTo(1);
    }
}
