package io.moneytrail.access;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * The separate management server, when {@code MONEYTRAIL_MANAGEMENT_PORT} starts one (Spring
 * Boot's {@code management.server.port}, bound to {@code management.server.address}, 127.0.0.1
 * by default). Whoever can reach that port is on this machine, so its requests act as the
 * local administrator: health details, metrics and Prometheus without a key. Requests on the
 * service's own port never do.
 */
@Component
class ManagementPort implements ApplicationListener<WebServerInitializedEvent> {

    static final Actor ACTOR = new Actor(Actor.Kind.SYSTEM, "management-port", "management port (127.0.0.1)",
            Role.ADMIN);
    static final String NAMESPACE = "management";

    private volatile int port = -1;

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (NAMESPACE.equals(event.getApplicationContext().getServerNamespace())) {
            port = event.getWebServer().getPort();
        }
    }

    int port() {
        return port;
    }

    /** A request that arrived on the management server's port, from a loopback address. */
    boolean isManagementRequest(HttpServletRequest request) {
        return port > 0 && request.getLocalPort() == port && isLoopback(request.getRemoteAddr());
    }

    private static boolean isLoopback(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
