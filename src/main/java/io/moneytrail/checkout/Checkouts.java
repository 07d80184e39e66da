package io.moneytrail.checkout;

import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.Order;
import io.moneytrail.order.OrderService;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.order.PaymentStatus;
import io.moneytrail.payment.PaymentProperties;
import io.moneytrail.payment.PaymentProviders;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creating and reading checkout sessions (the API's {@code POST /v1/orders/{id}/checkout_sessions}
 * and {@code GET /v1/checkout_sessions/{id}}). A session is idempotent by the request's scoped
 * key like orders and payments: a repeat after a crash finds the session the first run created.
 */
@Service
public class Checkouts {

    public static final int URL_LENGTH_MAX = 2000;
    public static final int PROVIDERS_MAX = 10;
    /** 32 random bytes: 256 bits, twice the minimum. */
    static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the store asks for; {@code locale} and {@code providers} optional. */
    public record NewSession(String returnUrl, String cancelUrl, String locale, List<String> providers) {
    }

    private final CheckoutSessions sessions;
    private final OrderService orders;
    private final PaymentProviders providers;
    private final PaymentProperties payments;
    private final CheckoutProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;

    Checkouts(CheckoutSessions sessions, OrderService orders, PaymentProviders providers, PaymentProperties payments,
              CheckoutProperties properties, TransactionTemplate tx, Clock clock) {
        this.sessions = sessions;
        this.orders = orders;
        this.providers = providers;
        this.payments = payments;
        this.properties = properties;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Opens a session for an open order that still owes money; {@code baseUrl} is this service's
     * public address as the caller reached it (the configured one wins). 409 with the reason for
     * an order already paid, authorised, cancelled, expired or fulfilled.
     */
    public CheckoutSession create(String orderId, NewSession request, String baseUrl, String creationKey) {
        if (creationKey != null) {
            Optional<String> existing = sessions.idByCreationKey(creationKey);
            if (existing.isPresent()) {
                return get(existing.get());
            }
        }
        validateUrl(request.returnUrl(), "return_url", true);
        validateUrl(request.cancelUrl(), "cancel_url", false);
        String locale = locale(request.locale());
        Order order = orders.get(orderId);
        refuseClosed(order);
        List<String> allowed = requestedProviders(request.providers(), order.currencyCode());
        Instant now = clock.instant();
        Instant orderExpiry = order.created().plus(payments.expireAfter());
        Instant expiresAt = now.plus(properties.sessionLifetime());
        if (orderExpiry.isBefore(expiresAt)) {
            expiresAt = orderExpiry;
        }
        if (!expiresAt.isAfter(now)) {
            throw MoneytrailException.state("order_expired", "order " + orderId + " expires at " + orderExpiry
                    + "; a checkout session for it would already be expired");
        }
        String id = Ids.next(CheckoutSession.ID_PREFIX);
        String token = newToken();
        String base = properties.baseUrl() != null ? properties.baseUrl() : baseUrl.replaceAll("/+$", "");
        String url = base + "/checkout/" + token;
        Instant expires = expiresAt;
        tx.executeWithoutResult(status -> sessions.insert(id, token, url, orderId, request.returnUrl(),
                request.cancelUrl(), locale, allowed.isEmpty() ? null : allowed, creationKey, now, expires));
        return get(id);
    }

    public CheckoutSession get(String id) {
        return sessions.find(id).orElseThrow(() -> MoneytrailException.notFound("id", id));
    }

    public Optional<CheckoutSession> byToken(String token) {
        if (token == null || token.length() > 100) {
            return Optional.empty();
        }
        return sessions.findByToken(token);
    }

    /**
     * The providers the page offers, in a fixed order: those the store allowed (all enabled ones if
     * it named none) that are still enabled and take the order's currency.
     */
    public List<String> providersFor(CheckoutSession session, String currency) {
        List<String> offered = new ArrayList<>();
        for (String name : session.providers() != null ? session.providers() : ordered(providers.names())) {
            if (providers.has(name) && providers.get(name).supportsCurrency(currency)) {
                offered.add(name);
            }
        }
        return offered;
    }

    /** The sandbox first (the embedded default), then the real providers by name. */
    private static List<String> ordered(java.util.Set<String> names) {
        List<String> sorted = new ArrayList<>(names);
        sorted.sort((a, b) -> a.equals("sandbox") ? -1 : b.equals("sandbox") ? 1 : a.compareTo(b));
        return sorted;
    }

    private List<String> requestedProviders(List<String> requested, String currency) {
        if (requested == null) {
            List<String> all = ordered(providers.names()).stream()
                    .filter(name -> providers.get(name).supportsCurrency(currency)).toList();
            if (all.isEmpty()) {
                throw MoneytrailException.invalid("provider_unsupported", "providers",
                        "no enabled provider takes payments in " + currency);
            }
            return List.of();
        }
        if (requested.isEmpty() || requested.size() > PROVIDERS_MAX) {
            throw MoneytrailException.invalid("parameter_invalid", "providers",
                    "providers must name 1 to " + PROVIDERS_MAX + " providers (or be left out: all enabled ones)");
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String name : requested) {
            if (name == null || !providers.has(name)) {
                throw MoneytrailException.invalid("provider_unknown", "providers", "provider " + name
                        + " is not enabled; enabled: " + ordered(providers.names()));
            }
            if (!providers.get(name).supportsCurrency(currency)) {
                throw MoneytrailException.invalid("provider_unsupported", "providers", "provider " + name
                        + " does not take payments in " + currency);
            }
            unique.add(name);
        }
        return List.copyOf(unique);
    }

    private static void refuseClosed(Order order) {
        if (order.status() == OrderStatus.CANCELLED) {
            throw MoneytrailException.state("order_cancelled", "order " + order.id() + " is cancelled");
        }
        if (order.status() == OrderStatus.EXPIRED) {
            throw MoneytrailException.state("order_expired", "order " + order.id() + " is expired");
        }
        if (order.status() != OrderStatus.OPEN) {
            throw MoneytrailException.state("order_not_open", "order " + order.id() + " is " + order.status().wire()
                    + "; only open orders can be paid");
        }
        PaymentStatus paid = order.money().paymentStatus();
        if (paid == PaymentStatus.AUTHORIZED) {
            throw MoneytrailException.state("order_already_authorized", "order " + order.id()
                    + " already has its payment authorised (money held); capture or cancel it");
        }
        if (paid != PaymentStatus.UNPAID && paid != PaymentStatus.PENDING && paid != PaymentStatus.PARTIALLY_PAID) {
            throw MoneytrailException.state("order_already_paid", "order " + order.id() + " is already " + paid.wire());
        }
    }

    private static String locale(String locale) {
        if (locale == null || locale.isBlank()) {
            return null;
        }
        String language = locale.strip().toLowerCase(Locale.ROOT);
        int dash = language.indexOf('-');
        language = dash > 0 ? language.substring(0, dash) : language;
        if (!language.equals("en") && !language.equals("ru")) {
            throw MoneytrailException.invalid("parameter_invalid", "locale", "locale must be en or ru");
        }
        return language;
    }

    static void validateUrl(String url, String param, boolean required) {
        if (url == null) {
            if (required) {
                throw MoneytrailException.invalid("parameter_missing", param, param + " is required");
            }
            return;
        }
        if (url.length() > URL_LENGTH_MAX) {
            throw MoneytrailException.invalid("url_invalid", param, param + " is longer than " + URL_LENGTH_MAX);
        }
        try {
            URI uri = new URI(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw MoneytrailException.invalid("url_invalid", param, param + " must be an absolute http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw MoneytrailException.invalid("url_invalid", param, param + " is not a valid URL");
        }
    }

    private static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
