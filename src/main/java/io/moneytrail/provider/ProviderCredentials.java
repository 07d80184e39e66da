package io.moneytrail.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.core.env.PropertyResolver;

/**
 * A provider is on when its credentials are set, off when none are, and a start with only some
 * of them set is refused with one message naming what is missing: a key without its webhook
 * secret would take payments whose webhooks are all rejected.
 */
public final class ProviderCredentials {

    private ProviderCredentials() {
    }

    /**
     * @param provider   the provider's name for people ("Stripe")
     * @param properties the Spring properties that must be set together
     *                   ({@code moneytrail.stripe.secret-key}, …)
     * @throws ProviderMisconfiguredException when some but not all are set
     */
    public static ConditionOutcome condition(PropertyResolver environment, String provider, List<String> properties) {
        List<String> set = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String property : properties) {
            String value = environment.getProperty(property);
            (value == null || value.isBlank() ? missing : set).add(property);
        }
        if (set.isEmpty()) {
            return ConditionOutcome.noMatch(provider + " is not configured (" + variables(properties) + " unset)");
        }
        if (!missing.isEmpty()) {
            throw new ProviderMisconfiguredException(provider + " is configured halfway: " + variables(set)
                    + (set.size() == 1 ? " is" : " are") + " set but " + variables(missing)
                    + (missing.size() == 1 ? " is" : " are") + " not");
        }
        return ConditionOutcome.match(provider + " credentials are set");
    }

    /** {@code moneytrail.stripe.secret-key} → {@code MONEYTRAIL_STRIPE_SECRET_KEY}. */
    public static String variable(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String variables(List<String> properties) {
        return String.join(", ", properties.stream().map(ProviderCredentials::variable).toList());
    }
}
