package io.moneytrail.backoffice;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * The pages' language: English or Russian, from {@code Accept-Language} until the user picks one
 * with the switch ({@code ?lang=ru}), which a cookie remembers for a year.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BackofficeProperties.class)
class BackofficeWebConfiguration implements WebMvcConfigurer {

    static final List<Locale> LANGUAGES = List.of(Locale.ENGLISH, Locale.forLanguageTag("ru"));
    static final String LANGUAGE_COOKIE = "moneytrail-lang";

    @Bean
    LocaleResolver localeResolver() {
        return new Languages();
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        LocaleChangeInterceptor change = new LocaleChangeInterceptor();
        change.setParamName("lang");
        change.setIgnoreInvalidLocale(true);
        registry.addInterceptor(change).addPathPatterns("/admin", "/admin/**");
    }

    /** A cookie's choice, else the best of Accept-Language among the two languages, else English. */
    static final class Languages extends CookieLocaleResolver {

        Languages() {
            super(LANGUAGE_COOKIE);
            setCookieMaxAge(Duration.ofDays(365));
            setCookiePath("/admin");
            setCookieHttpOnly(true);
            setDefaultLocaleFunction(Languages::fromHeader);
        }

        private static Locale fromHeader(HttpServletRequest request) {
            String header = request.getHeader("Accept-Language");
            if (header == null || header.isBlank()) {
                return Locale.ENGLISH;
            }
            try {
                Locale best = Locale.lookup(Locale.LanguageRange.parse(header), LANGUAGES);
                return best == null ? Locale.ENGLISH : best;
            } catch (IllegalArgumentException malformed) {
                return Locale.ENGLISH;
            }
        }

        @Override
        public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
            Locale supported = locale == null ? null
                    : LANGUAGES.stream().filter(l -> l.getLanguage().equals(locale.getLanguage())).findFirst()
                            .orElse(Locale.ENGLISH);
            super.setLocale(request, response, supported);
        }
    }
}
