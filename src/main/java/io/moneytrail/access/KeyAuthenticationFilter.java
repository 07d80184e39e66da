package io.moneytrail.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads {@code Authorization: Bearer <secret key>} and, for an active key, makes its
 * {@link Actor} the request's: in Spring Security's context (for the role table) and in the
 * request attribute {@link Actors#REQUEST_ATTRIBUTE} (for everything that records who acted).
 * A request on the management port (bound to 127.0.0.1) is the local administrator. A missing
 * or wrong key leaves the request anonymous; the role table then decides (401 unless public).
 */
final class KeyAuthenticationFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";
    /**
     * The sandbox provider's API carries the sandbox's key, never one of ours: looking it up
     * would cost a failed query per call (failures are not cached).
     */
    private static final String SANDBOX_PATH = "/sandbox";

    private final KeyAuthenticationProvider keys;
    private final ManagementPort managementPort;

    KeyAuthenticationFilter(KeyAuthenticationProvider keys, ManagementPort managementPort) {
        this.keys = keys;
        this.managementPort = managementPort;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Authentication> authenticated = managementPort.isManagementRequest(request)
                ? Optional.of(new KeyAuthentication(ManagementPort.ACTOR))
                : ApiPaths.isUnder(request, SANDBOX_PATH) ? Optional.empty() // the sandbox checks its own key
                : bearer(request).map(secret -> keys.authenticate(new KeyAuthenticationProvider.PresentedKey(secret)));
        if (authenticated.isPresent() && authenticated.get() instanceof KeyAuthentication key) {
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(key);
            SecurityContextHolder.setContext(context);
            request.setAttribute(Actors.REQUEST_ATTRIBUTE, key.getPrincipal());
        }
        chain.doFilter(request, response);
    }

    private static Optional<String> bearer(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || header.length() > ApiKeys.SECRET_LENGTH_MAX + BEARER.length()) {
            return Optional.empty();
        }
        return Optional.of(header.substring(BEARER.length()).trim());
    }
}
