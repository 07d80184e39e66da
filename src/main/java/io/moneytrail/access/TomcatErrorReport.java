package io.moneytrail.access;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Replaces Tomcat's error report valve (Spring Boot adds one that writes HTML) with
 * {@link EnvelopeErrorReportValve}, on the service's server and on the management server.
 * Ordered last, so that Boot's own valve is already in the host's pipeline to be removed.
 */
@Component
@ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
class TomcatErrorReport implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> replace(context.getParent()));
    }

    static void replace(Container host) {
        if (host instanceof StandardHost standardHost) {
            standardHost.setErrorReportValveClass(EnvelopeErrorReportValve.class.getName());
        }
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve && !(valve instanceof EnvelopeErrorReportValve)) {
                host.getPipeline().removeValve(valve);
            }
        }
        boolean present = false;
        for (Valve valve : host.getPipeline().getValves()) {
            present |= valve instanceof EnvelopeErrorReportValve;
        }
        if (!present) {
            host.getPipeline().addValve(new EnvelopeErrorReportValve());
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
