package io.moneytrail.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceClassTest {

    @Test
    void user_agents_are_classed_as_analytics_tools_do() {
        assertThat(DeviceClass.from(Customer.PHONE)).isEqualTo(DeviceClass.MOBILE);
        assertThat(DeviceClass.from("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15"
                + " (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")).isEqualTo(DeviceClass.MOBILE);
        assertThat(DeviceClass.from("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15"))
                .isEqualTo(DeviceClass.TABLET);
        assertThat(DeviceClass.from("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/126.0 Safari/537.36")).isEqualTo(DeviceClass.TABLET);
        assertThat(DeviceClass.from(Customer.DESKTOP)).isEqualTo(DeviceClass.DESKTOP);
        assertThat(DeviceClass.from("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/126.0 Safari/537.36")).isEqualTo(DeviceClass.DESKTOP);
        assertThat(DeviceClass.from("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15"))
                .isEqualTo(DeviceClass.DESKTOP);
        assertThat(DeviceClass.from(null)).isEqualTo(DeviceClass.UNKNOWN);
        assertThat(DeviceClass.from("")).isEqualTo(DeviceClass.UNKNOWN);
        assertThat(DeviceClass.from("curl/8.5.0")).isEqualTo(DeviceClass.UNKNOWN);
        assertThat(DeviceClass.from("Googlebot/2.1 (+http://www.google.com/bot.html)")).isEqualTo(DeviceClass.UNKNOWN);
    }

    @Test
    void wire_names_are_the_tables() {
        for (DeviceClass device : DeviceClass.values()) {
            assertThat(DeviceClass.fromWire(device.wire())).hasValue(device);
        }
        for (FunnelStep step : FunnelStep.values()) {
            assertThat(FunnelStep.fromWire(step.wire())).hasValue(step);
        }
        assertThat(FunnelStep.PROVIDER_CHOSEN.wire()).isEqualTo("provider_chosen");
    }
}
