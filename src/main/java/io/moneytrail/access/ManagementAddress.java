package io.moneytrail.access;

import java.net.InetAddress;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.stereotype.Component;

/**
 * A separate management server ({@code MONEYTRAIL_MANAGEMENT_PORT}) listens on 127.0.0.1 unless
 * {@code management.server.address} names another address: it answers health details and
 * metrics without a key, so it must not be reachable from the network by default. (Spring Boot
 * refuses an address without a separate port, so the default cannot sit in application.yml.)
 */
@Component
class ManagementAddress implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof ManagementServerProperties management && management.getPort() != null
                && management.getPort() >= 0 && management.getAddress() == null) {
            management.setAddress(InetAddress.getLoopbackAddress());
        }
        return bean;
    }
}
