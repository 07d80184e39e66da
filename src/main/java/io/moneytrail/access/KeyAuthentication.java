package io.moneytrail.access;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An authenticated caller: its {@link Actor} (an API key, or the management port) and its role as {@code ROLE_<ROLE>}. */
final class KeyAuthentication extends AbstractAuthenticationToken {

    private final Actor actor;

    KeyAuthentication(Actor actor) {
        super(List.of(new SimpleGrantedAuthority("ROLE_" + actor.role().name())));
        this.actor = actor;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Actor getPrincipal() {
        return actor;
    }

    @Override
    public String getName() {
        return actor.id();
    }
}
