package io.moneytrail.backoffice;

import io.moneytrail.access.Actor;
import io.moneytrail.access.Actors;
import io.moneytrail.access.BackofficeRules;
import io.moneytrail.money.MoneytrailException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * What every page's template gets: {@code fmt} (money and dates for the page's language and the
 * store's time zone), {@code me} (the logged-in user), {@code may} (whether the user may take an
 * action, by the access module's page table), {@code path}, {@code langEn} and {@code langRu} (the
 * language switch: this page, its query kept, in the other language); and the
 * error page for what a page's service refused.
 */
@ControllerAdvice(basePackageClasses = PageModel.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageModel {

    private final BackofficeProperties properties;
    private final MessageSource messages;

    PageModel(BackofficeProperties properties, MessageSource messages) {
        this.properties = properties;
        this.messages = messages;
    }

    /** The page's permissions, for templates: {@code may.post('/admin/orders/' + id + '/actions/refund')}. */
    public record Permissions(Actor actor) {
        public boolean get(String path) {
            return actor != null && BackofficeRules.allows(actor.role(), "GET", path);
        }

        public boolean post(String path) {
            return actor != null && BackofficeRules.allows(actor.role(), "POST", path);
        }
    }

    @ModelAttribute
    void common(Model model, HttpServletRequest request) {
        Locale locale = RequestContextUtils.getLocale(request);
        Actor me = Actors.current().orElse(null);
        model.addAttribute("fmt", new Formats(locale, properties.timeZone()));
        model.addAttribute("labels", new Labels(messages, locale));
        model.addAttribute("me", me);
        model.addAttribute("may", new Permissions(me));
        model.addAttribute("lang", locale.getLanguage());
        model.addAttribute("path", request.getRequestURI());
        model.addAttribute("langEn", languageSwitch(request.getRequestURI(), request.getQueryString(), "en"));
        model.addAttribute("langRu", languageSwitch(request.getRequestURI(), request.getQueryString(), "ru"));
    }

    /**
     * The page's own address with {@code lang} set: the rest of its query (a search, filters, a
     * page's cursor) is kept as it came, already encoded.
     */
    static String languageSwitch(String uri, String query, String lang) {
        StringBuilder href = new StringBuilder(uri).append('?');
        if (query != null) {
            for (String part : query.split("&")) {
                if (!part.isEmpty() && !part.equals("lang") && !part.startsWith("lang=")) {
                    href.append(part).append('&');
                }
            }
        }
        return href.append("lang=").append(lang).toString();
    }

    @ExceptionHandler(MoneytrailException.class)
    String refused(MoneytrailException e, Model model, HttpServletRequest request, HttpServletResponse response) {
        common(model, request);
        response.setStatus(e.httpStatus());
        model.addAttribute("status", e.httpStatus());
        model.addAttribute("code", e.code());
        model.addAttribute("message", e.getMessage());
        return "admin/error";
    }
}
