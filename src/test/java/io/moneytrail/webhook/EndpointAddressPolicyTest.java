package io.moneytrail.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.DnsResolver;
import org.junit.jupiter.api.Test;

/**
 * Which URLs a store's webhook endpoint may have, without allow-private (the default) and
 * with it. Names resolve through a fixed table (IP literals are parsed, never looked up), so
 * the verdicts do not depend on this machine's DNS.
 */
class EndpointAddressPolicyTest {

    /** A resolver with fixed answers; IP literals are parsed as the system resolver would. */
    static final class TableResolver implements DnsResolver {
        private final Map<String, List<String>> table;

        TableResolver(Map<String, List<String>> table) {
            this.table = table;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            List<String> answers = table.get(host);
            if (answers == null) {
                if (host.contains(":") || host.matches("[0-9.]+")) {
                    return InetAddress.getAllByName(host); // a literal: parsed, no lookup
                }
                throw new UnknownHostException(host);
            }
            InetAddress[] addresses = new InetAddress[answers.size()];
            for (int i = 0; i < addresses.length; i++) {
                addresses[i] = InetAddress.getByName(answers.get(i));
            }
            return addresses;
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }

    private static final TableResolver NAMES = new TableResolver(Map.of(
            "store.example.com", List.of("93.184.216.34"),
            "store6.example.com", List.of("2606:2800:220:1:248:1893:25c8:1946"),
            "localhost", List.of("127.0.0.1", "::1"),
            "metadata.google.internal", List.of("169.254.169.254"),
            "lan.example.com", List.of("192.168.1.20"),
            "mixed.example.com", List.of("93.184.216.34", "10.0.0.7")));

    private final EndpointAddressPolicy strict = new EndpointAddressPolicy(false, NAMES);
    private final EndpointAddressPolicy allowPrivate = new EndpointAddressPolicy(true, NAMES);

    private static String refusal(EndpointAddressPolicy policy, String url) {
        EndpointAddressPolicy.UrlRefusedException refused =
                catchThrowableOfType(EndpointAddressPolicy.UrlRefusedException.class, () -> policy.checkRegistration(url));
        assertThat(refused).as("refused: " + url).isNotNull();
        return refused.code();
    }

    private static void accepted(EndpointAddressPolicy policy, String url) {
        assertThatCode(() -> policy.checkRegistration(url)).as("accepted: " + url).doesNotThrowAnyException();
    }

    @Test
    void public_addresses_and_names_are_accepted() {
        for (EndpointAddressPolicy policy : List.of(strict, allowPrivate)) {
            accepted(policy, "https://store.example.com/hooks");
            accepted(policy, "https://store6.example.com/hooks");
            accepted(policy, "http://93.184.216.34:8080/hooks");
            accepted(policy, "https://[2606:4700:4700::1111]/hooks");
            accepted(policy, "HTTPS://store.example.com/hooks");
        }
    }

    @Test
    void cloud_metadata_and_link_local_addresses_are_refused_even_with_allow_private() {
        for (EndpointAddressPolicy policy : List.of(strict, allowPrivate)) {
            for (String url : List.of(
                    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                    "http://metadata.google.internal/computeMetadata/v1/",
                    "http://169.254.0.1/",
                    "http://[fe80::1]/",
                    "http://[fe80::a9fe:a9fe]/",
                    "http://[::ffff:169.254.169.254]/",
                    "http://[::ffff:a9fe:a9fe]/",
                    "http://[64:ff9b::a9fe:a9fe]/",
                    "http://[2002:a9fe:a9fe::1]/")) {
                assertThat(refusal(policy, url)).as(url).isEqualTo("url_not_allowed");
            }
        }
    }

    @Test
    void loopback_and_private_addresses_are_refused_without_allow_private() {
        for (String url : List.of(
                "http://127.0.0.1/hooks", "http://127.8.9.10:9000/", "http://localhost:8080/hooks",
                "http://10.0.0.1/", "http://172.16.0.1/", "http://172.31.255.254/", "http://192.168.1.1/",
                "http://lan.example.com/", "http://100.64.0.1/", "http://100.127.255.254/",
                "http://[::1]/", "http://[fc00::1]/", "http://[fd12:3456:789a::1]/", "http://[fec0::1]/",
                "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[::ffff:10.0.0.1]/",
                "http://[::ffff:192.168.0.1]/")) {
            assertThat(refusal(strict, url)).as(url).isEqualTo("url_not_allowed");
        }
    }

    @Test
    void loopback_and_private_addresses_are_accepted_with_allow_private() {
        for (String url : List.of(
                "http://127.0.0.1:8080/hooks", "http://localhost:8080/hooks", "http://10.0.0.1/",
                "http://172.16.0.1/", "http://192.168.1.1/", "http://lan.example.com/", "http://100.64.0.1/",
                "http://[::1]/", "http://[fd12:3456:789a::1]/", "http://[::ffff:127.0.0.1]/")) {
            accepted(allowPrivate, url);
        }
    }

    @Test
    void multicast_unspecified_broadcast_and_reserved_addresses_are_always_refused() {
        for (EndpointAddressPolicy policy : List.of(strict, allowPrivate)) {
            for (String url : List.of(
                    "http://0.0.0.0/", "http://0.1.2.3/", "http://[::]/", "http://[::ffff:0.0.0.0]/",
                    "http://224.0.0.1/", "http://239.255.255.250:1900/", "http://[ff02::1]/",
                    "http://255.255.255.255/", "http://240.0.0.1/",
                    "http://192.0.2.1/", "http://198.51.100.7/", "http://203.0.113.9/", "http://198.18.0.1/",
                    "http://[2001:db8::1]/", "http://[::127.0.0.1]/", "http://[100::1]/",
                    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/")) {
                assertThat(refusal(policy, url)).as(url).isEqualTo("url_not_allowed");
            }
        }
    }

    @Test
    void numeric_hosts_not_written_as_a_dotted_quad_are_refused_whatever_they_mean() {
        for (EndpointAddressPolicy policy : List.of(strict, allowPrivate)) {
            for (String url : List.of(
                    "http://2130706433/",            // 127.0.0.1 in decimal
                    "http://0x7f000001/",            // ... in hex
                    "http://0x7f.0.0.1/",
                    "http://0177.0.0.1/",            // ... in octal (Java would read 177.0.0.1)
                    "http://017700000001/",
                    "http://127.1/",
                    "http://127.0.1/",
                    "http://2852039166/",            // 169.254.169.254
                    "http://0xa9fea9fe/",
                    "http://134744072/",             // 8.8.8.8: public, still refused (ambiguous)
                    "http://08.8.8.8/",
                    "http://1.2.3.4.5/",
                    "http://store.123/")) {
                assertThat(refusal(policy, url)).as(url).isEqualTo("url_not_allowed");
            }
        }
    }

    @Test
    void a_name_with_any_internal_address_is_refused() {
        assertThat(refusal(strict, "https://mixed.example.com/hooks")).isEqualTo("url_not_allowed");
    }

    @Test
    void user_info_is_refused_and_only_http_and_https_are_accepted() {
        for (EndpointAddressPolicy policy : List.of(strict, allowPrivate)) {
            assertThat(refusal(policy, "https://user:password@store.example.com/hooks")).isEqualTo("url_not_allowed");
            assertThat(refusal(policy, "https://user@store.example.com/hooks")).isEqualTo("url_not_allowed");
            assertThat(refusal(policy, "https://store.example.com@169.254.169.254/")).isEqualTo("url_not_allowed");
            for (String url : List.of("ftp://store.example.com/x", "file:///etc/passwd", "gopher://store.example.com/",
                    "jar:http://store.example.com/x!/y", "mailto:ops@store.example.com", "//store.example.com/hooks",
                    "https://store.example.com/hooks#frag", "http://evil.example\\@127.0.0.1/")) {
                assertThat(refusal(policy, url)).as(url).isEqualTo("url_invalid");
            }
        }
    }

    @Test
    void a_name_that_does_not_resolve_yet_is_accepted_and_checked_again_when_connecting() throws Exception {
        accepted(strict, "https://not-yet.example.com/hooks");
        EndpointAddressPolicy later = new EndpointAddressPolicy(false,
                new TableResolver(Map.of("not-yet.example.com", List.of("10.9.8.7"))));
        assertThat(catchThrowableOfType(EndpointAddressPolicy.AddressNotAllowedException.class,
                () -> later.resolve("not-yet.example.com")))
                .hasMessageContaining("private address (10.9.8.7)")
                .hasMessageContaining("MONEYTRAIL_OUTBOUND_ALLOW_PRIVATE");
    }

    @Test
    void the_resolver_returns_only_checked_addresses_with_the_port() throws Exception {
        assertThat(strict.resolve("store.example.com", 443))
                .extracting(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
                .containsExactly("93.184.216.34:443");
        assertThat(catchThrowableOfType(UnknownHostException.class, () -> strict.resolve("localhost", 80)))
                .isInstanceOf(EndpointAddressPolicy.AddressNotAllowedException.class);
        assertThat(catchThrowableOfType(UnknownHostException.class, () -> allowPrivate.resolve("[::1]", 80)))
                .isNull();
    }
}
