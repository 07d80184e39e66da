package io.moneytrail.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** X-Forwarded-For is believed only when our own proxy says it, so nobody can claim a provider's network. */
class ClientAddressTest {

    private static MockHttpServletRequest from(String peer, String... forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr(peer);
        for (String header : forwardedFor) {
            request.addHeader(ClientAddress.FORWARDED_FOR, header);
        }
        return request;
    }

    @Test
    void a_header_from_a_stranger_is_ignored() {
        ClientAddress address = new ClientAddress(List.of("10.0.0.0/8"));
        assertThat(address.of(from("203.0.113.9", "185.71.76.1"))).isEqualTo("203.0.113.9");
    }

    @Test
    void behind_trusted_proxies_the_first_address_not_ours_from_the_right_is_the_client() {
        ClientAddress address = new ClientAddress(List.of("10.0.0.0/8", "192.168.1.1"));
        assertThat(address.of(from("10.1.2.3", "1.2.3.4, 185.71.76.1, 192.168.1.1"))).isEqualTo("185.71.76.1");
        assertThat(address.of(from("10.1.2.3", "185.71.76.1", "10.9.9.9"))).isEqualTo("185.71.76.1");
        assertThat(address.of(from("10.1.2.3"))).as("no header: the proxy itself").isEqualTo("10.1.2.3");
    }

    @Test
    void no_trusted_proxies_means_the_peer_always() {
        ClientAddress address = new ClientAddress(List.of());
        assertThat(address.of(from("127.0.0.1", "185.71.76.1"))).isEqualTo("127.0.0.1");
    }

    @Test
    void a_malformed_proxy_setting_stops_the_start_with_its_name() {
        assertThatThrownBy(() -> new ClientAddress(List.of("not-an-address/99")))
                .hasMessageContaining("MONEYTRAIL_TRUSTED_PROXIES");
    }
}
