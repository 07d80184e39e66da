package io.moneytrail.access;

import io.moneytrail.money.ErrorType;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import java.util.function.Supplier;

/**
 * One security filter chain for everything the service serves, deny by default: the firewall
 * first (Spring Security's {@code FilterChainProxy}), then the API key, then the role table
 * ({@link EndpointRules}). Every refusal is the API's error envelope: 400
 * {@code request_rejected} from the firewall, 401 {@code invalid_api_key} without a valid key,
 * 403 {@code permission_denied} naming the roles that may. The chain runs before the API's own
 * filters ({@code spring.security.filter.order}), so they see only requests that passed it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, KeyAuthenticationProvider keys, ManagementPort managementPort) throws Exception {
        return http
                .csrf(csrf -> csrf.disable()) // no cookies, no sessions: a bearer key cannot be ridden by another site
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .anonymous(anonymous -> { })
                .addFilterBefore(new KeyAuthenticationFilter(keys, managementPort), AuthorizationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
                        .anyRequest().access(new RoleTable()))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(unauthenticated())
                        .accessDeniedHandler(forbidden()))
                .build();
    }

    /**
     * No Micrometer observation of Spring Security's own filters and decisions: wrapping each of
     * the chain's filters in an observation cost about a tenth of the CPU of every request
     * (issue 10's profile). Requests are still observed as a whole ({@code http.server.requests}).
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    HttpFirewall apiFirewall() {
        return new ApiFirewall();
    }

    @Bean
    RequestRejectedHandler requestRejected() {
        return (request, response, rejected) -> {
            log.debug("Firewall rejected {} {}: {}", request.getMethod(), request.getRequestURI(), rejected.getMessage());
            ErrorEnvelope.write(response, 400, ErrorType.INVALID_REQUEST, "request_rejected",
                    "the firewall refused the request: " + ErrorEnvelope.printable(rejected.getMessage()));
        };
    }

    private static AuthenticationEntryPoint unauthenticated() {
        return (HttpServletRequest request, HttpServletResponse response, AuthenticationException e) -> {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            boolean sent = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
            ErrorEnvelope.write(response, 401, ErrorType.AUTHENTICATION, "invalid_api_key", sent
                    ? "the key is not valid (unknown, revoked, or not sent as 'Authorization: Bearer <key>')"
                    : "send a valid secret key as 'Authorization: Bearer <key>'");
        };
    }

    private static AccessDeniedHandler forbidden() {
        return (request, response, e) -> {
            EndpointRules.Rule rule = EndpointRules.ruleFor(request);
            ErrorEnvelope.write(response, 403, ErrorType.AUTHENTICATION, "permission_denied",
                    rule.endpoint() + " needs a key with one of the roles " + rule.rolesText() + "; this key's role is "
                            + actorOf(request).map(a -> a.role() == null ? "none" : a.role().wireName())
                                    .orElse("none"));
        };
    }

    private static java.util.Optional<Actor> actorOf(HttpServletRequest request) {
        return request.getAttribute(Actors.REQUEST_ATTRIBUTE) instanceof Actor actor
                ? java.util.Optional.of(actor) : java.util.Optional.empty();
    }

    /** The role table as Spring Security's authorisation: the first matching rule decides. */
    static final class RoleTable implements AuthorizationManager<RequestAuthorizationContext> {

        @Override
        public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
                                             RequestAuthorizationContext context) {
            EndpointRules.Rule rule = EndpointRules.ruleFor(context.getRequest());
            if (rule.isPublic()) {
                return new AuthorizationDecision(true);
            }
            Authentication caller = authentication.get();
            return new AuthorizationDecision(caller instanceof KeyAuthentication key && caller.isAuthenticated()
                    && rule.roles().contains(key.getPrincipal().role()));
        }
    }
}
