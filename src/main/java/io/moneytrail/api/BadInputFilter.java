package io.moneytrail.api;

import io.moneytrail.access.ApiPaths;
import io.moneytrail.money.ErrorType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Input PostgreSQL would refuse, or the container would choke on, is refused at the edge with
 * the error envelope, naming the parameter: a query string with broken percent-encoding
 * ({@code %zz}, a lone {@code %}) or bytes that are not UTF-8, a NUL character ({@code %00})
 * in a query parameter (Tomcat itself refuses one in the path), and a {@code Content-Type}
 * that is not a media type or
 * is a wildcard (Spring refuses {@code *}{@code /*} with an exception, not a 415). JSON bodies
 * are checked by {@link TextCheck} as they are read.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 15)
class BadInputFilter extends OncePerRequestFilter {

    private static final Set<String> BODYLESS = Set.of("GET", "HEAD", "DELETE", "OPTIONS", "TRACE");

    private final ObjectMapper json;

    BadInputFilter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !ApiPaths.isApi(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ApiError problem = queryProblem(request.getQueryString());
        if (problem == null && !BODYLESS.contains(request.getMethod())
                && !ApiRequestFilter.FILE_UPLOAD_PATH.equals(ApiPaths.of(request))) {
            problem = contentTypeProblem(request.getHeader("Content-Type"));
        }
        if (problem != null) {
            problem.writeTo(response, json);
            return;
        }
        chain.doFilter(request, response);
    }

    /** The first problem of a raw query string, or null when every name and value decodes to storable text. */
    static ApiError queryProblem(String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            String name = decode(rawName);
            String shownName = name != null ? TextCheck.shown(name) : TextCheck.shown(rawName);
            if (name == null) {
                return invalid("parameter_invalid", shownName,
                        "a query parameter name is not valid percent-encoded UTF-8");
            }
            if (TextCheck.problem(name) != null) {
                return invalid("parameter_invalid", shownName, "a query parameter name " + TextCheck.problem(name));
            }
            if (equals >= 0) {
                String value = decode(pair.substring(equals + 1));
                if (value == null) {
                    return invalid("parameter_invalid", shownName,
                            shownName + " is not valid percent-encoded UTF-8 (%zz, a lone % or bytes that are not UTF-8)");
                }
                if (TextCheck.problem(value) != null) {
                    return invalid("parameter_invalid", shownName, shownName + " " + TextCheck.problem(value));
                }
            }
        }
        return null;
    }

    static ApiError contentTypeProblem(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            if (type.isWildcardType() || type.isWildcardSubtype()) {
                return unsupported("Content-Type must be a concrete media type, not " + TextCheck.shown(contentType));
            }
            return null;
        } catch (InvalidMediaTypeException e) {
            return unsupported("Content-Type is not a media type; send application/json");
        }
    }

    /** Strict application/x-www-form-urlencoded decoding as UTF-8: null when malformed. */
    static String decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static ApiError invalid(String code, String param, String message) {
        return new ApiError(400, ErrorType.INVALID_REQUEST, code, message, param);
    }

    private static ApiError unsupported(String message) {
        return new ApiError(415, ErrorType.INVALID_REQUEST, "content_type_unsupported", message, null);
    }
}
