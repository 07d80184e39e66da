package io.moneytrail.sandbox;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Switches the sandbox provider on: {@code moneytrail.sandbox.enabled} when set, otherwise on
 * with the embedded database and off with an external one ({@link SandboxMode}). Every sandbox
 * bean carries the same condition, so when it is off nothing of the sandbox starts: no pool,
 * no schema migration, no endpoints. When it is on next to an external database with a
 * published default secret, the service refuses to start.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnSandbox
@EnableConfigurationProperties(SandboxProperties.class)
class SandboxConfiguration {

    SandboxConfiguration(SandboxProperties properties, Environment environment) {
        SandboxMode.refuseUnsafe(SandboxMode.externalDatabase(environment), properties);
    }

    @Bean
    FilterRegistrationBean<SandboxAuthFilter> sandboxAuthFilter(SandboxProperties properties) {
        FilterRegistrationBean<SandboxAuthFilter> registration =
                new FilterRegistrationBean<>(new SandboxAuthFilter(properties.apiKey()));
        registration.setName("sandboxAuthFilter");
        registration.addUrlPatterns("/sandbox/api/*");
        return registration;
    }
}
