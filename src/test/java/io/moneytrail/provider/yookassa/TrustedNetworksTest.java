package io.moneytrail.provider.yookassa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedNetworksTest {

    @Test
    void yookassas_published_networks_contain_its_senders_and_nothing_else() {
        TrustedNetworks networks = TrustedNetworks.parse(YooKassaProperties.YOOKASSA_NETWORKS);
        assertThat(networks.contains("185.71.76.1")).isTrue();
        assertThat(networks.contains("185.71.76.31")).isTrue();
        assertThat(networks.contains("185.71.76.32")).isFalse();
        assertThat(networks.contains("77.75.156.11")).isTrue();
        assertThat(networks.contains("77.75.156.12")).isFalse();
        assertThat(networks.contains("77.75.154.200")).isTrue();
        assertThat(networks.contains("2a02:5180:0:1509::1")).isTrue();
        assertThat(networks.contains("2a02:5181::1")).isFalse();
        assertThat(networks.contains("::ffff:185.71.77.5")).as("IPv4-mapped IPv6").isTrue();
        assertThat(networks.contains("127.0.0.1")).isFalse();
        assertThat(networks.contains("localhost")).as("a host name is never looked up").isFalse();
        assertThat(networks.contains(null)).isFalse();
        assertThat(networks.contains("185.71.76")).isFalse();
    }

    @Test
    void a_bad_entry_stops_the_start_with_its_name() {
        assertThatThrownBy(() -> TrustedNetworks.parse(List.of("10.0.0.0/33")))
                .hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> TrustedNetworks.parse(List.of("yookassa.ru")))
                .hasMessageContaining("yookassa.ru");
    }

    @Test
    void blank_configuration_means_the_published_list() {
        assertThat(new YooKassaProperties("1", "k", null, null, null, null).trustedNetworks())
                .isEqualTo(YooKassaProperties.YOOKASSA_NETWORKS);
        assertThat(new YooKassaProperties("1", "k", null, List.of(" "), null, null).trustedNetworks())
                .isEqualTo(YooKassaProperties.YOOKASSA_NETWORKS);
        assertThat(new YooKassaProperties("1", "k", null, List.of("127.0.0.1/32"), null, null).toString())
                .doesNotContain("k]").contains("(set)");
    }
}
