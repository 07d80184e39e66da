package io.moneytrail.access;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The 1C exchange's security chain ({@code /1c/**}), tried before the API's: never an API key.
 * {@code mode=checkauth} takes HTTP Basic with the exchange user ({@link OnecLogin}) and answers
 * {@code success}, the cookie's name and its value, each on its own line; every other request
 * must bring that cookie. A wrong password is {@code failure} and 401 (and counts towards the
 * back office's login throttle, under keys of the exchange's own: 429 past it); the exchange switched off
 * is {@code failure} and 404. A request that passes acts as {@link OnecLogin#ACTOR} (actor
 * {@code 1c}, role {@code onec}), whom the audit log and the order's timeline name.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class OnecSecurityConfiguration {

    static final String PATH = "/1c";

    @Bean
    @Order(2)
    SecurityFilterChain onecSecurity(HttpSecurity http, OnecLogin login, AuditTrail audit, LoginThrottle throttle)
            throws Exception {
        return http
                .securityMatcher(PATH, PATH + "/**")
                // 1C is a program, not a browser: the cookie is handed over in the body of checkauth and
                // no browser ever holds it, so there is nothing for another site to ride
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .anonymous(anonymous -> { })
                .addFilterBefore(new OnecAuthenticationFilter(login, audit, throttle), AuthorizationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
                        .anyRequest().authenticated())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) ->
                                login.write(response, 401, "failure", "not logged in: call mode=checkauth first"))
                        .accessDeniedHandler((request, response, e) ->
                                login.write(response, 403, "failure", "not allowed")))
                .build();
    }

    /** Logs 1C in (checkauth) or checks its cookie, and makes {@link OnecLogin#ACTOR} the request's actor. */
    static final class OnecAuthenticationFilter extends OncePerRequestFilter {

        private static final String BASIC = "Basic ";

        private final OnecLogin login;
        private final AuditTrail audit;
        private final LoginThrottle throttle;

        OnecAuthenticationFilter(OnecLogin login, AuditTrail audit, LoginThrottle throttle) {
            this.login = login;
            this.audit = audit;
            this.throttle = throttle;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (!login.enabled()) {
                login.write(response, 404, "failure", "the 1C exchange is off on this service: set"
                        + " MONEYTRAIL_ONEC_USERNAME and MONEYTRAIL_ONEC_PASSWORD to turn it on");
                return;
            }
            String mode;
            try {
                mode = OnecLogin.queryParameter(request, "mode").orElse("");
            } catch (IllegalArgumentException undecodable) {
                login.write(response, 400, "failure", "the query string cannot be decoded");
                return;
            }
            if (mode.equals("checkauth")) {
                checkauth(request, response);
                return;
            }
            Optional<String> refused = login.refusal(cookie(request));
            if (refused.isPresent()) {
                login.write(response, 401, "failure", refused.get());
                return;
            }
            authenticate(request);
            chain.doFilter(request, response);
        }

        private void checkauth(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String header = request.getHeader(HttpHeaders.AUTHORIZATION);
            String[] credentials = basic(header);
            if (credentials == null) {
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"1C exchange\", charset=\"UTF-8\"");
                login.write(response, 401, "failure",
                        "send the exchange's user and password (HTTP Basic), as set in MONEYTRAIL_ONEC_USERNAME and"
                                + " MONEYTRAIL_ONEC_PASSWORD");
                return;
            }
            // the back office's throttle, with keys of the exchange's own (its failures never lock a person out)
            String user = "1c:" + credentials[0];
            String address = "1c:" + request.getRemoteAddr();
            if (!throttle.allowed(user, address)) {
                login.write(response, 429, "failure", "too many failed logins for this user or from this address;"
                        + " try again later");
                return;
            }
            if (!login.matches(credentials[0], credentials[1])) {
                throttle.failed(user, address);
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"1C exchange\", charset=\"UTF-8\"");
                audit.insert(Actor.system("1c-login"), "onec.checkauth", "onec_exchange", null, null,
                        request.getMethod(), PATH + "/exchange", 401, AuditTrail.Outcome.REFUSED,
                        "wrong user name or password", Map.of());
                login.write(response, 401, "failure", "wrong user name or password");
                return;
            }
            throttle.succeeded(user);
            login.write(response, 200, "success", OnecLogin.COOKIE, login.issue());
        }

        /** {@code [user, password]} of an {@code Authorization: Basic} header, or null. */
        private static String[] basic(String header) {
            if (header == null || !header.regionMatches(true, 0, BASIC, 0, BASIC.length()) || header.length() > 2048) {
                return null;
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
                return null;
            }
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        }

        private static String cookie(HttpServletRequest request) {
            Cookie[] cookies = request.getCookies();
            if (cookies == null) {
                return null;
            }
            for (Cookie cookie : cookies) {
                if (OnecLogin.COOKIE.equals(cookie.getName())) {
                    return cookie.getValue();
                }
            }
            return null;
        }

        private static void authenticate(HttpServletRequest request) {
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(new KeyAuthentication(OnecLogin.ACTOR));
            SecurityContextHolder.setContext(context);
            request.setAttribute(Actors.REQUEST_ATTRIBUTE, OnecLogin.ACTOR);
        }
    }
}
