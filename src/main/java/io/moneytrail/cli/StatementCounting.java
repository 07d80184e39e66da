package io.moneytrail.cli;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;

/**
 * Statement and commit counting for {@code bench checkout}, switched on only by
 * {@code moneytrail.bench.count-statements=true} (the bench sets it in the service it starts;
 * a test may set it to count what a request costs). It wraps every {@code DataSource} bean in
 * datasource-proxy's {@link ProxyDataSource} feeding a {@link StatementCounter}, and tags each
 * HTTP request's thread with the call it serves, first of all filters, so that statements and
 * commits are counted per call (create_order, webhook, …). Off, nothing of it exists.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = StatementCounting.ENABLED, havingValue = "true")
class StatementCounting {

    static final String ENABLED = "moneytrail.bench.count-statements";
    static final String HISTOGRAM = "moneytrail.bench.sql-histogram";

    private static final Pattern ID_SEGMENT = Pattern.compile("/(?=[^/]*\\d)[A-Za-z0-9_\\-]{8,}");

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE) // a plain object the post-processor below needs early
    static StatementCounter statementCounter(org.springframework.core.env.Environment environment) {
        return new StatementCounter(environment.getProperty(HISTOGRAM, Boolean.class, false));
    }

    @Bean
    static BeanPostProcessor countingDataSources(StatementCounter counter) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof DataSource dataSource && !(bean instanceof ProxyDataSource)) {
                    return ProxyDataSourceBuilder.create(beanName, dataSource)
                            .afterQuery(counter::afterQuery)
                            .afterMethod(counter::afterMethod)
                            .build();
                }
                return bean;
            }
        };
    }

    @Bean
    FilterRegistrationBean<Filter> statementCountingFilter(StatementCounter counter) {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new CallTagFilter(counter));
        registration.setName("statementCountingFilter");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        return registration;
    }

    /** The call a request is, in the names the bench prints. */
    static String callOf(String method, String path) {
        if (path.startsWith("/v1/webhooks/")) {
            return "webhook";
        }
        boolean post = "POST".equals(method);
        if (post && path.equals("/v1/orders")) {
            return "create_order";
        }
        if (post && path.startsWith("/v1/orders/") && path.endsWith("/payments")) {
            return "create_payment";
        }
        if ("GET".equals(method) && path.startsWith("/v1/orders/") && path.indexOf('/', "/v1/orders/".length()) < 0) {
            return "get_order";
        }
        if (post && path.equals("/v1/refunds")) {
            return "refund";
        }
        return method + " " + ID_SEGMENT.matcher(path).replaceAll("/{id}");
    }

    private static final class CallTagFilter implements Filter {
        private final StatementCounter counter;

        CallTagFilter(StatementCounter counter) {
            this.counter = counter;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (!(request instanceof HttpServletRequest http)) {
                chain.doFilter(request, response);
                return;
            }
            String call = callOf(http.getMethod(), http.getRequestURI());
            long started = System.nanoTime();
            StatementCounter.tag(call);
            try {
                chain.doFilter(request, response);
            } finally {
                StatementCounter.untag();
                counter.requestServed(call, System.nanoTime() - started);
            }
        }
    }
}
