package io.moneytrail.access;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The back office's security chain ({@code /admin/**} and its scripts under {@code /webjars}),
 * tried before the API's: form login at {@code /admin/login} with a user name and a password,
 * a session that ends after {@code server.servlet.session.timeout} idle, CSRF tokens on every
 * form, login attempts throttled per user name and per address ({@link LoginThrottle}), and the
 * role × page table ({@link BackofficeRules}). A stranger is sent to the login page; a logged-in
 * user without the page's role gets the 403 page. The session never authenticates an API call:
 * the API's chain is stateless and knows keys only.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class BackofficeSecurityConfiguration {

    static final String LOGIN = "/admin/login";
    static final String DENIED = "/admin/denied";

    @Bean
    @Order(1)
    SecurityFilterChain backofficeSecurity(HttpSecurity http, Users users, LoginThrottle throttle) throws Exception {
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(userDetails(users));
        passwords.setPasswordEncoder(users.encoder());
        return http
                .securityMatcher("/admin", "/admin/**", "/webjars/**")
                .authenticationManager(new ProviderManager(List.of(passwords)))
                .formLogin(form -> form
                        .loginPage(LOGIN)
                        .usernameParameter("username")
                        .passwordParameter("password")
                        .successHandler((request, response, authentication) -> {
                            throttle.succeeded(authentication.getName());
                            response.sendRedirect(request.getContextPath() + "/admin");
                        })
                        .failureHandler((request, response, e) -> {
                            throttle.failed(request.getParameter("username"), request.getRemoteAddr());
                            response.sendRedirect(request.getContextPath() + LOGIN + "?error");
                        }))
                .logout(logout -> logout.logoutUrl("/admin/logout").logoutSuccessUrl(LOGIN + "?logout"))
                .requestCache(cache -> cache.disable())
                .addFilterBefore(new ThrottleFilter(throttle), UsernamePasswordAuthenticationFilter.class)
                .addFilterBefore(new UserActorFilter(users), AuthorizationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.FORWARD).permitAll()
                        .requestMatchers("/webjars/**").permitAll()
                        .anyRequest().access(new PageTable()))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint(LOGIN))
                        .accessDeniedHandler((request, response, e) -> {
                            response.setStatus(403);
                            request.getRequestDispatcher(DENIED).forward(request, response);
                        }))
                .build();
    }

    private static UserDetailsService userDetails(Users users) {
        return username -> {
            Users.Credentials credentials = users.credentials(username)
                    .orElseThrow(() -> new UsernameNotFoundException("no such user"));
            return User.withUsername(credentials.user().username())
                    .password(credentials.passwordHash())
                    .disabled(!credentials.user().active())
                    .authorities(new SimpleGrantedAuthority("ROLE_" + credentials.user().role().name()))
                    .build();
        };
    }

    /** The page table as Spring Security's authorisation, on the user's role as it is now. */
    static final class PageTable implements AuthorizationManager<RequestAuthorizationContext> {

        @Override
        public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
                                             RequestAuthorizationContext context) {
            HttpServletRequest request = context.getRequest();
            String path = request.getRequestURI().substring(request.getContextPath().length());
            BackofficeRules.Rule rule = BackofficeRules.ruleFor(request.getMethod(), path);
            if (rule.isPublic()) {
                return new AuthorizationDecision(true);
            }
            return new AuthorizationDecision(request.getAttribute(Actors.REQUEST_ATTRIBUTE) instanceof Actor actor
                    && actor.kind() == Actor.Kind.USER && rule.roles().contains(actor.role()));
        }
    }

    /**
     * Makes the logged-in user the request's {@link Actor} (who the audit log names), with its
     * role as stored now: a user disabled since it logged in loses its session at its next request.
     */
    static final class UserActorFilter extends OncePerRequestFilter {

        private final Users users;

        UserActorFilter(Users users) {
            this.users = users;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            if (authentication != null && authentication.getPrincipal() instanceof org.springframework.security.core.userdetails.UserDetails details) {
                Optional<Users.User> user = users.find(details.getUsername()).filter(Users.User::active);
                if (user.isPresent()) {
                    request.setAttribute(Actors.REQUEST_ATTRIBUTE, Actor.user(user.get().username(), user.get().role()));
                } else {
                    SecurityContextHolder.clearContext();
                    HttpSession session = request.getSession(false);
                    if (session != null) {
                        session.invalidate();
                    }
                    response.sendRedirect(request.getContextPath() + LOGIN + "?expired");
                    return;
                }
            }
            chain.doFilter(request, response);
        }
    }

    /** Refuses a login past the throttle's bound before the password is checked. */
    static final class ThrottleFilter extends OncePerRequestFilter {

        private final LoginThrottle throttle;

        ThrottleFilter(LoginThrottle throttle) {
            this.throttle = throttle;
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !"POST".equals(request.getMethod())
                    || !request.getRequestURI().equals(request.getContextPath() + LOGIN);
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (!throttle.allowed(request.getParameter("username"), request.getRemoteAddr())) {
                response.sendRedirect(request.getContextPath() + LOGIN + "?throttled");
                return;
            }
            chain.doFilter(request, response);
        }
    }
}
