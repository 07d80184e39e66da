package io.moneytrail.access;

import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's strict firewall (it rejects {@code ;}, encoded {@code /}, {@code \} and
 * {@code %}, encoded and literal {@code .} segments, {@code //}, NUL and other control
 * characters, and methods outside the usual set), and two rules more. A letter or digit
 * percent-encoded in the path ({@code /%76%31/orders}): no client needs to encode those, and a
 * path that spells {@code /v1} differently from its bytes is how filters that compared raw
 * prefixes were bypassed. A query string with an encoded NUL ({@code %00}) or a {@code %} that
 * is not an escape ({@code %zz}), which Tomcat and PostgreSQL would otherwise fail on deep inside
 * a request. (The query is checked as a string: parsing parameters here would consume form bodies.)
 */
final class ApiFirewall extends StrictHttpFirewall {

    private static final Pattern ENCODED_ALPHANUMERIC = Pattern.compile("%(3[0-9]|[46][1-9a-fA-F]|[57][0-9aA])");
    /** A {@code %} not followed by two hex digits, or an encoded NUL: Tomcat cannot decode the first, PostgreSQL refuses the second. */
    private static final Pattern BAD_QUERY_ESCAPE = Pattern.compile("%(?![0-9a-fA-F]{2})|%00");

    ApiFirewall() {
        setUnsafeAllowAnyHttpMethod(false);
    }

    @Override
    public FirewalledRequest getFirewalledRequest(HttpServletRequest request) throws RequestRejectedException {
        String uri = request.getRequestURI();
        if (uri != null && ENCODED_ALPHANUMERIC.matcher(uri).find()) {
            throw new RequestRejectedException("the path contains a percent-encoded letter or digit");
        }
        String query = request.getQueryString();
        if (query != null && (BAD_QUERY_ESCAPE.matcher(query).find() || query.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw new RequestRejectedException("the query string contains an encoded NUL, a control character or a '%' that is not an escape");
        }
        return super.getFirewalledRequest(request);
    }
}
