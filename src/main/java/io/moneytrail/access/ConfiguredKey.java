package io.moneytrail.access;

import java.util.List;

/**
 * One entry of {@code MONEYTRAIL_SECRET_KEYS}: {@code key} (an admin key) or {@code role:key}.
 * An unknown role is a configuration error that stops the start, rather than a key with a
 * colon in it that nobody meant.
 */
record ConfiguredKey(Role role, String secret) {

    @Override
    public String toString() {
        return "ConfiguredKey[" + role.wireName() + ", secret hidden]";
    }

    static List<ConfiguredKey> parseAll(List<String> entries) {
        return entries.stream().map(String::trim).filter(e -> !e.isEmpty()).map(ConfiguredKey::parse).toList();
    }

    static ConfiguredKey parse(String entry) {
        String trimmed = entry.trim();
        int colon = trimmed.indexOf(':');
        if (colon < 0) {
            return checked(Role.ADMIN, trimmed);
        }
        String roleName = trimmed.substring(0, colon);
        Role role = Role.fromWire(roleName).orElseThrow(() -> new IllegalArgumentException(
                "MONEYTRAIL_SECRET_KEYS: unknown role '" + roleName + "' (write role:key with one of "
                        + java.util.Arrays.stream(Role.values()).map(Role::wireName).toList() + ", or the key alone for admin)"));
        return checked(role, trimmed.substring(colon + 1).trim());
    }

    private static ConfiguredKey checked(Role role, String secret) {
        if (secret.length() < 16 || secret.length() > ApiKeys.SECRET_LENGTH_MAX
                || secret.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("MONEYTRAIL_SECRET_KEYS: a " + role.wireName()
                    + " key must be 16 to " + ApiKeys.SECRET_LENGTH_MAX + " printable ASCII characters without spaces");
        }
        return new ConfiguredKey(role, secret);
    }
}
