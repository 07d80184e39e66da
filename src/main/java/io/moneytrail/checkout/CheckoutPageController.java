package io.moneytrail.checkout;

import io.moneytrail.order.Order;
import io.moneytrail.order.OrderLine;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.context.MessageSource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;
import org.springframework.web.util.HtmlUtils;

/**
 * The customer's page, {@code /checkout/{token}}: no key and no cookie, the token is the
 * credential. Every answer carries a strict Content-Security-Policy (nothing but this response's
 * own nonce'd style and script, same-origin polling, the store's logo), {@code no-store} and
 * {@code Referrer-Policy: no-referrer} (the token must not leak to the provider's page through
 * the Referer header). The page is rendered from {@link CheckoutView}, which comes from the money.
 */
@Controller
@RequestMapping("/checkout/{token}")
class CheckoutPageController {

    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> LANGUAGES = List.of("en", "ru");
    private static final int PROVIDER_NAME_MAX = 40;

    private final CheckoutPage page;
    private final ITemplateEngine templates;
    private final MessageSource messages;

    CheckoutPageController(CheckoutPage page, ITemplateEngine templates, MessageSource messages) {
        this.page = page;
        this.templates = templates;
        this.messages = messages;
    }

    @GetMapping
    ResponseEntity<String> show(@PathVariable String token, @RequestParam(required = false) String lang,
                                @RequestParam(required = false) String notice, HttpServletRequest request) {
        Optional<CheckoutView> view = page.view(token, request.getHeader(HttpHeaders.USER_AGENT));
        if (view.isEmpty()) {
            return notFound(language(lang, null, request));
        }
        String language = language(lang, view.get().session().locale(), request);
        return render(view.get(), language, notice, request);
    }

    @PostMapping("/pay")
    ResponseEntity<String> pay(@PathVariable String token, @RequestParam(required = false) String provider,
                               @RequestParam(required = false) String lang, HttpServletRequest request) {
        Optional<CheckoutSession> session = page.state(token).map(CheckoutView::session);
        if (session.isEmpty()) {
            return notFound(language(lang, null, request));
        }
        String chosen = provider == null ? "" : provider.substring(0, Math.min(provider.length(), PROVIDER_NAME_MAX));
        CheckoutPage.Choice choice = page.choose(token, chosen, request.getHeader(HttpHeaders.USER_AGENT),
                session.get().url() + "/return");
        if (choice.redirectUrl() != null) {
            return seeOther(choice.redirectUrl());
        }
        StringBuilder back = new StringBuilder(pagePath(request, token));
        String language = lang != null && LANGUAGES.contains(lang) ? lang : null;
        if (language != null || choice.notice() != null) {
            back.append('?');
            if (language != null) {
                back.append("lang=").append(language);
            }
            if (choice.notice() != null) {
                back.append(language != null ? "&" : "").append("notice=").append(choice.notice());
            }
        }
        return seeOther(back.toString());
    }

    /** The provider's way back: ask the provider at once, then show the page (without what the URL carried). */
    @GetMapping("/return")
    ResponseEntity<String> returned(@PathVariable String token, HttpServletRequest request) {
        page.returned(token, request.getHeader(HttpHeaders.USER_AGENT));
        return seeOther(pagePath(request, token));
    }

    /** For the page's polling: the view it would show now. */
    @GetMapping("/state")
    ResponseEntity<String> state(@PathVariable String token) {
        Optional<CheckoutView> view = page.state(token);
        String body = "{\"view\":\"" + view.map(v -> v.kind().wire()).orElse("not_found") + "\"}";
        return ResponseEntity.status(view.isPresent() ? HttpStatus.OK : HttpStatus.NOT_FOUND)
                .headers(headers(null)).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private ResponseEntity<String> render(CheckoutView view, String language, String notice, HttpServletRequest request) {
        Locale locale = Locale.forLanguageTag(language);
        CheckoutProperties properties = page.properties();
        Order order = view.order();
        String nonce = nonce();
        String token = view.session().token();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("lang", language);
        model.put("nonce", nonce);
        model.put("view", view);
        model.put("store", properties.storeName());
        model.put("logo", properties.logoUrl());
        model.put("title", text(titleKey(view.kind()), locale));
        model.put("reference", order.reference() != null ? order.reference() : order.id());
        model.put("pageUrl", pagePath(request, token));
        model.put("payUrl", pagePath(request, token) + "/pay");
        model.put("stateUrl", pagePath(request, token) + "/state");
        model.put("notice", notice != null && notice.matches("[a-z_]{1,40}")
                ? messages.getMessage("checkout.notice." + notice, null, null, locale) : null);
        model.put("lines", lines(order, locale));
        model.put("vat", vat(order, locale));
        model.put("total", money(order.amountTotal().amountMinor(), order.currencyCode(), locale));
        model.put("declineText", view.decline() == null ? null : text(view.decline().messageKey(), locale));
        String attemptProvider = view.attempt() == null ? null
                : messages.getMessage("checkout.providerName." + view.attempt().provider(), null,
                view.attempt().provider(), locale);
        model.put("attemptProvider", attemptProvider);
        model.put("continueUrl", view.kind() == CheckoutView.Kind.IN_PROGRESS && view.attempt() != null
                ? view.attempt().redirectUrl() : null);
        model.put("buttons", buttons(view, locale));
        model.put("autoRedirect", view.storeReturn());
        model.put("redirectDelayMs", properties.redirectDelay().toMillis());
        model.put("cancelLink", view.storeCancel());
        model.put("closeHint", (view.kind() == CheckoutView.Kind.EXPIRED || view.kind() == CheckoutView.Kind.CANCELLED)
                && view.storeCancel() == null);
        String html = templates.process("checkout/page", new Context(locale, model));
        return ResponseEntity.ok().headers(headers(nonce)).contentType(HTML).body(html);
    }

    /** One button per provider offered; while an attempt is open, its own provider is the "continue" link instead. */
    private List<Map<String, Object>> buttons(CheckoutView view, Locale locale) {
        List<Map<String, Object>> buttons = new ArrayList<>();
        CheckoutView.Kind kind = view.kind();
        if (kind != CheckoutView.Kind.CHOOSE && kind != CheckoutView.Kind.DECLINED && kind != CheckoutView.Kind.IN_PROGRESS) {
            return buttons;
        }
        String open = kind == CheckoutView.Kind.IN_PROGRESS && view.attempt() != null ? view.attempt().provider() : null;
        // after a decline, the provider just tried comes first: "try again" is the likeliest next step
        List<String> order = new ArrayList<>(view.providers());
        if (kind == CheckoutView.Kind.DECLINED && view.attempt() != null && order.remove(view.attempt().provider())) {
            order.add(0, view.attempt().provider());
        }
        boolean first = true;
        for (String provider : order) {
            if (provider.equals(open) && view.attempt().redirectUrl() != null) {
                continue;
            }
            Map<String, Object> button = new LinkedHashMap<>();
            button.put("provider", provider);
            button.put("label", messages.getMessage("checkout.provider." + provider, null,
                    text("checkout.provider.sandbox", locale).replace("sandbox", provider), locale));
            button.put("alt", !first || open != null);
            buttons.add(button);
            first = false;
        }
        return buttons;
    }

    private List<Map<String, String>> lines(Order order, Locale locale) {
        List<Map<String, String>> lines = new ArrayList<>();
        for (OrderLine line : order.lines()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("name", line.name() != null ? line.name() : line.sku());
            row.put("quantity", messages.getMessage("checkout.quantity", new Object[] {line.quantity(),
                    money(line.unitAmount(), order.currencyCode(), locale)}, locale));
            row.put("total", money(line.amountTotal(), order.currencyCode(), locale));
            lines.add(row);
        }
        return lines;
    }

    /** The VAT inside the total, per rate (a line without a rate is "no VAT"). */
    private List<Map<String, String>> vat(Order order, Locale locale) {
        TreeMap<Integer, Long> byRate = new TreeMap<>();
        for (OrderLine line : order.lines()) {
            byRate.merge(line.vatRate() == null ? -1 : line.vatRate(), line.amountVat(), Long::sum);
        }
        List<Map<String, String>> rows = new ArrayList<>();
        byRate.descendingMap().forEach((rate, amount) -> {
            if (rate < 0) {
                return;
            }
            rows.add(Map.of("label", messages.getMessage("checkout.vat", new Object[] {rate}, locale),
                    "amount", money(amount, order.currencyCode(), locale)));
        });
        return rows;
    }

    /** An amount in the order's currency, written the locale's way (€25.00, 1 500,00 ₽). */
    static String money(long amountMinor, String currencyCode, Locale locale) {
        Currency currency = Currency.getInstance(currencyCode);
        NumberFormat format = NumberFormat.getCurrencyInstance("ru".equals(locale.getLanguage())
                ? Locale.forLanguageTag("ru-RU") : Locale.forLanguageTag("en-IE"));
        format.setCurrency(currency);
        int digits = Math.max(currency.getDefaultFractionDigits(), 0);
        format.setMinimumFractionDigits(digits);
        format.setMaximumFractionDigits(digits);
        return format.format(BigDecimal.valueOf(amountMinor, digits)).replace('\u202f', '\u00a0');
    }

    private static String titleKey(CheckoutView.Kind kind) {
        return switch (kind) {
            case WAITING -> "checkout.title.waiting";
            case PAID, AUTHORIZED -> "checkout.title.paid";
            case EXPIRED -> "checkout.title.expired";
            case CANCELLED -> "checkout.title.cancelled";
            default -> "checkout.title.choose";
        };
    }

    private String text(String key, Locale locale) {
        return messages.getMessage(key, null, key, locale);
    }

    /** The page's language: the switch's choice, else the store's for the session, else the browser's, else English. */
    private static String language(String lang, String sessionLocale, HttpServletRequest request) {
        if (lang != null && LANGUAGES.contains(lang)) {
            return lang;
        }
        if (sessionLocale != null) {
            return sessionLocale;
        }
        String header = request.getHeader(HttpHeaders.ACCEPT_LANGUAGE);
        if (header != null && !header.isBlank()) {
            try {
                String best = Locale.lookupTag(Locale.LanguageRange.parse(header), LANGUAGES);
                if (best != null) {
                    return best;
                }
            } catch (IllegalArgumentException malformed) {
                return "en";
            }
        }
        return "en";
    }

    private ResponseEntity<String> notFound(String language) {
        Locale locale = Locale.forLanguageTag(language);
        String text = HtmlUtils.htmlEscape(text("checkout.notFound", locale));
        String nonce = nonce();
        String html = "<!DOCTYPE html><html lang=\"" + language + "\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + text + "</title>"
                + "<style nonce=\"" + nonce + "\">body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;"
                + "padding:0 1rem}</style></head><body><main><h1>" + text + "</h1></main></body></html>";
        return ResponseEntity.status(HttpStatus.NOT_FOUND).headers(headers(nonce)).contentType(HTML).body(html);
    }

    private ResponseEntity<String> seeOther(String location) {
        return ResponseEntity.status(HttpStatus.SEE_OTHER).headers(headers(null)).location(URI.create(location)).build();
    }

    private HttpHeaders headers(String nonce) {
        HttpHeaders headers = new HttpHeaders();
        headers.setCacheControl(CacheControl.noStore());
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Content-Security-Policy", csp(nonce));
        return headers;
    }

    /**
     * Nothing by default; this answer's own style and script only (by nonce), polling of the same
     * origin, images from this host and the store's logo's origin, forms posted to this host (whose
     * answer redirects to the provider's page: https only), no framing, no base element.
     */
    private String csp(String nonce) {
        String logo = page.properties().logoUrl();
        String logoOrigin = "";
        if (logo != null && (logo.startsWith("https://") || logo.startsWith("http://"))) {
            URI uri = URI.create(logo);
            logoOrigin = " " + uri.getScheme() + "://" + uri.getAuthority();
        }
        String scripts = nonce == null ? "'none'" : "'nonce-" + nonce + "'";
        return "default-src 'none'; style-src " + scripts + "; script-src " + scripts + "; img-src 'self'" + logoOrigin
                + "; connect-src 'self'; form-action 'self' https:; base-uri 'none'; frame-ancestors 'none'";
    }

    private static String pagePath(HttpServletRequest request, String token) {
        return request.getContextPath() + "/checkout/" + token;
    }

    private static String nonce() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
