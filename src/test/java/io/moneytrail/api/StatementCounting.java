package io.moneytrail.api;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Test support: counts the SQL statements and commits Moneytrail's own pool ({@code DataSource}
 * bean; the sandbox has a pool of its own) runs, per HTTP request, on the request's thread. A
 * commit is an explicit {@code commit()} or a data-changing statement run in auto-commit.
 */
@TestConfiguration(proxyBeanMethods = false)
class StatementCounting {

    /** What one request cost. */
    record Call(String method, String path, int statements, int commits, List<String> sql) {
        @Override
        public String toString() {
            return method + " " + path + ": " + statements + " statements, " + commits + " commits";
        }
    }

    static final class Counts {
        int statements;
        int commits;
        final List<String> sql = new ArrayList<>();
    }

    static final ThreadLocal<Counts> CURRENT = new ThreadLocal<>();
    static final List<Call> CALLS = new CopyOnWriteArrayList<>();

    @Bean
    static BeanPostProcessor countingDataSource() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof DataSource dataSource && "dataSource".equals(name)) {
                    return Proxy.newProxyInstance(StatementCounting.class.getClassLoader(),
                            new Class<?>[] {DataSource.class}, forward(dataSource, StatementCounting::connection));
                }
                return bean;
            }
        };
    }

    @Bean
    FilterRegistrationBean<Filter> countingFilter() {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
            Counts counts = new Counts();
            CURRENT.set(counts);
            try {
                chain.doFilter(request, response);
            } finally {
                CURRENT.remove();
                HttpServletRequest http = (HttpServletRequest) request;
                if (http.getRequestURI().startsWith("/v1/")) {
                    CALLS.add(new Call(http.getMethod(), http.getRequestURI(), counts.statements, counts.commits,
                            List.copyOf(counts.sql)));
                }
            }
        });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    private interface Wrap {
        Object wrap(Object result, Object target);
    }

    private static InvocationHandler forward(Object target, Wrap wrap) {
        return (proxy, method, args) -> {
            try {
                return wrap.wrap(method.invoke(target, args), target);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
    }

    private static Object connection(Object result, Object dataSource) {
        if (!(result instanceof Connection connection)) {
            return result;
        }
        return Proxy.newProxyInstance(StatementCounting.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object value;
                    try {
                        value = method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    Counts counts = CURRENT.get();
                    if (counts != null && method.getName().equals("commit")) {
                        counts.commits++;
                    }
                    if (value instanceof Statement statement) {
                        String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
                        return statement(statement, connection, sql, method.getReturnType());
                    }
                    return value;
                });
    }

    private static Object statement(Statement statement, Connection connection, String preparedSql, Class<?> type) {
        return Proxy.newProxyInstance(StatementCounting.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.startsWith("execute")) {
                        Counts counts = CURRENT.get();
                        if (counts != null) {
                            String sql = preparedSql != null ? preparedSql
                                    : args != null && args.length > 0 && args[0] instanceof String s ? s : "?";
                            counts.statements++;
                            counts.sql.add(sql.strip().replaceAll("\\s+", " "));
                            if (connection.getAutoCommit() && !readOnly(sql)) {
                                counts.commits++;
                            }
                        }
                    }
                    try {
                        return method.invoke(statement, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static boolean readOnly(String sql) {
        String s = sql.strip().toLowerCase(Locale.ROOT);
        return s.startsWith("select") && !s.contains("for update") && !s.contains("nextval")
                || s.startsWith("set ") || s.startsWith("show ");
    }
}
