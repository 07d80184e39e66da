package io.moneytrail.sandbox;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Switches the sandbox provider on ({@code moneytrail.sandbox.enabled}, default true). Every
 * sandbox bean carries the same condition, so with it false nothing of the sandbox starts:
 * no pool, no schema migration, no endpoints.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "moneytrail.sandbox.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(SandboxProperties.class)
class SandboxConfiguration {

    @Bean
    FilterRegistrationBean<SandboxAuthFilter> sandboxAuthFilter(SandboxProperties properties) {
        FilterRegistrationBean<SandboxAuthFilter> registration =
                new FilterRegistrationBean<>(new SandboxAuthFilter(properties.apiKey()));
        registration.setName("sandboxAuthFilter");
        registration.addUrlPatterns("/sandbox/api/*");
        return registration;
    }
}
