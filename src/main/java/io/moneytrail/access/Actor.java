package io.moneytrail.access;

import java.util.Objects;

/**
 * Who did something: an API key, a back-office user, or the service itself (a background job).
 * It always comes from authentication, never from a request body.
 *
 * @param kind  what authenticated
 * @param id    the key's id ({@code key_…}), the user's name, or the job's name
 * @param name  a label for people (the key's name); may equal {@code id}
 * @param role  the role it acted with; {@code null} for the system
 */
public record Actor(Kind kind, String id, String name, Role role) {

    public enum Kind { KEY, USER, SYSTEM }

    public Actor {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        name = name == null ? id : name;
    }

    public static Actor system(String job) {
        return new Actor(Kind.SYSTEM, job, job, null);
    }

    public static Actor key(String keyId, String name, Role role) {
        return new Actor(Kind.KEY, keyId, name, Objects.requireNonNull(role, "role"));
    }

    public static Actor user(String username, Role role) {
        return new Actor(Kind.USER, username, username, Objects.requireNonNull(role, "role"));
    }

    /** {@code key}, {@code user} or {@code system}, as stored in the audit log. */
    public String kindName() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
