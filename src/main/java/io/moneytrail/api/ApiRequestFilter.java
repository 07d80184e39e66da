package io.moneytrail.api;

import io.moneytrail.access.Actor;
import io.moneytrail.access.Actors;
import io.moneytrail.access.ApiPaths;
import io.moneytrail.money.ErrorType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * The body of every {@code /v1} request is read once, up to a bound (413 past it), and kept
 * for the controllers, the idempotency store and webhook verification. Exactly
 * {@code POST /v1/reconciliation/files} is left unread: its controller streams it to disk.
 *
 * <p>It runs after Spring Security's filter chain (ordered before it by
 * {@code spring.security.filter.order}), so the request has passed the firewall and, unless
 * the route is public, authentication: the key's {@link Actor} is the request's. It decides on
 * the path as routing sees it ({@link ApiPaths}), never on the raw URI.
 */
@Component
@Order(ApiRequestFilter.ORDER)
class ApiRequestFilter extends OncePerRequestFilter {

    /** After Spring Security's chain ({@code spring.security.filter.order} is HIGHEST_PRECEDENCE + 7). */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;
    /** Request attribute: the id of the authenticated API key (the idempotency store scopes keys by it). */
    static final String API_KEY_ATTRIBUTE = ApiRequestFilter.class.getName() + ".apiKeyId";
    /**
     * Uploads of reconciliation files are streamed to disk by their controller under their own
     * bound ({@code moneytrail.reconciliation.file-bytes-max}), so this filter does not read them.
     */
    static final String FILE_UPLOAD_PATH = "/v1/reconciliation/files";

    private final ObjectMapper json;
    private final int bodyBytesMax;

    ApiRequestFilter(ObjectMapper json, @Value("${moneytrail.api.body-bytes-max:1048576}") int bodyBytesMax) {
        this.json = json;
        this.bodyBytesMax = bodyBytesMax;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !ApiPaths.isApi(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getAttribute(Actors.REQUEST_ATTRIBUTE) instanceof Actor actor && actor.kind() == Actor.Kind.KEY) {
            request.setAttribute(API_KEY_ATTRIBUTE, actor.id());
        }
        if ("POST".equals(request.getMethod()) && FILE_UPLOAD_PATH.equals(ApiPaths.of(request))) {
            chain.doFilter(request, response); // the body stays unread: the controller streams it
            return;
        }
        if (request.getContentLengthLong() > bodyBytesMax) {
            write(response, new ApiError(413, ErrorType.INVALID_REQUEST, "body_too_large",
                    "request body is larger than " + bodyBytesMax + " bytes", null));
            return;
        }
        byte[] body = readBounded(request.getInputStream());
        if (body == null) {
            write(response, new ApiError(413, ErrorType.INVALID_REQUEST, "body_too_large",
                    "request body is larger than " + bodyBytesMax + " bytes", null));
            return;
        }
        chain.doFilter(new CachedBodyRequest(request, body), response);
    }

    /** The body, or null when it is longer than the bound. */
    private byte[] readBounded(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(bodyBytesMax + 1);
        return bytes.length > bodyBytesMax ? null : bytes;
    }

    void write(HttpServletResponse response, ApiError error) throws IOException {
        error.writeTo(response, json);
    }

    /** A request whose body has already been read into memory. */
    static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        byte[] body() {
            return body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
