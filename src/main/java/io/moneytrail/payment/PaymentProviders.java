package io.moneytrail.payment;

import io.moneytrail.money.MoneytrailException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The configured provider adapters, by name. */
@Component
public class PaymentProviders {

    private final Map<String, PaymentProvider> byName;

    PaymentProviders(List<PaymentProvider> providers) {
        this.byName = providers.stream().collect(Collectors.toUnmodifiableMap(PaymentProvider::name, Function.identity()));
    }

    public PaymentProvider get(String name) {
        PaymentProvider provider = name == null ? null : byName.get(name);
        if (provider == null) {
            throw MoneytrailException.invalid("provider_unknown", "provider",
                    "unknown provider '" + name + "'; configured: " + byName.keySet());
        }
        return provider;
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /** The names of the configured providers, for listings and error messages. */
    public java.util.Set<String> names() {
        return new java.util.TreeSet<>(byName.keySet());
    }

    /** Refuses, before any intent is written, what the provider cannot do. */
    static void require(PaymentProvider provider, PaymentProvider.Capability capability) {
        if (!provider.capabilities().contains(capability)) {
            throw MoneytrailException.invalid("provider_unsupported", null, "provider " + provider.name()
                    + " does not support " + capability.description());
        }
    }

    static void requireCurrency(PaymentProvider provider, String currency) {
        if (!provider.supportsCurrency(currency)) {
            throw MoneytrailException.invalid("provider_unsupported", null, "provider " + provider.name()
                    + " does not take payments in " + currency);
        }
    }
}
