package io.moneytrail.access;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * Spring Security's view of {@link ApiKeys}: a presented bearer secret becomes a
 * {@link KeyAuthentication} of its key's actor and role, or nothing (the caller stays
 * anonymous). Being the application's only {@link AuthenticationProvider}, it also keeps Spring
 * Boot from configuring a default user with a generated password.
 */
@Component
class KeyAuthenticationProvider implements AuthenticationProvider {

    /** A secret as presented in {@code Authorization: Bearer}, not yet checked. */
    static final class PresentedKey extends AbstractAuthenticationToken {
        private final String secret;

        PresentedKey(String secret) {
            super(java.util.List.of());
            this.secret = secret;
        }

        @Override
        public Object getCredentials() {
            return secret;
        }

        @Override
        public Object getPrincipal() {
            return "bearer";
        }
    }

    private final ApiKeys keys;

    KeyAuthenticationProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        if (!(authentication instanceof PresentedKey presented)) {
            return null;
        }
        return keys.authenticate(presented.secret)
                .map(key -> new KeyAuthentication(Actor.key(key.id(), key.name(), key.role())))
                .orElse(null);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return PresentedKey.class.isAssignableFrom(authentication);
    }
}
