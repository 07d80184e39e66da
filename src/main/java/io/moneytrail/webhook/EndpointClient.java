package io.moneytrail.webhook;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The HTTP client of outbound delivery: Apache HttpClient 5, because its connections are
 * made to the addresses its {@link org.apache.hc.client5.http.DnsResolver} returns, and ours
 * ({@link EndpointAddressPolicy}) returns only addresses it checked. Java's own
 * {@code HttpClient} resolves names itself, so a check made before a request could not
 * stop a name from answering differently when the connection is made (DNS rebinding).
 * <p>
 * One request per call, no redirects, no automatic retries (the outbox retries with its own
 * backoff), no proxy, no cookies. Bounded: connecting ({@code connect-timeout-ms}), each
 * read ({@code request-timeout-ms}), and the whole exchange (connect + request timeouts,
 * then the request is cancelled). At most {@link #RESPONSE_BYTES_MAX} bytes of an answer are
 * read, so that a short answer's connection can be kept alive; a longer answer's connection
 * is closed unread. TLS is the JDK's trust store with hostname verification on the URL's
 * host name (not the address connected to).
 */
@Component
class EndpointClient {

    /** Bytes of an answer read (and thrown away): enough for a store's "ok". */
    static final int RESPONSE_BYTES_MAX = 4096;

    /** What one HTTP attempt came to. {@code status} is null when no answer arrived. */
    record Attempt(Integer status, String error, long retryAfterMs, boolean interrupted) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }

        static Attempt failed(String error) {
            return new Attempt(null, error, 0, false);
        }
    }

    private final EndpointAddressPolicy policy;
    private final OutboundProperties properties;
    private final CloseableHttpClient http;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "outbound-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    @Autowired
    EndpointClient(EndpointAddressPolicy policy, OutboundProperties properties) {
        this(policy, properties, SSLContexts.createDefault());
    }

    /** With the TLS context whose trust store decides which certificates are accepted (tests pass their own). */
    EndpointClient(EndpointAddressPolicy policy, OutboundProperties properties, SSLContext tls) {
        this.policy = policy;
        this.properties = properties;
        Timeout connect = Timeout.ofMilliseconds(properties.connectTimeoutMs());
        Timeout read = Timeout.ofMilliseconds(properties.requestTimeoutMs());
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(policy) // every connection: resolved and checked here, once
                        // certificates checked against the URL's host name, whatever address was connected
                        .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls))
                        .setMaxConnTotal(properties.senders() * 2)
                        .setMaxConnPerRoute(properties.senders())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(connect)
                                .setSocketTimeout(read)
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                                .setTimeToLive(TimeValue.ofMinutes(1))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(connect)
                        .setResponseTimeout(read)
                        .setRedirectsEnabled(false)
                        .setAuthenticationEnabled(false)
                        .setContentCompressionEnabled(false)
                        .setProtocolUpgradeEnabled(false)
                        .setExpectContinueEnabled(false)
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
    }

    /** POSTs {@code body} to {@code url} with {@code headers}; never throws for what the endpoint does. */
    Attempt post(String url, byte[] body, Map<String, String> headers) {
        URI uri;
        try {
            uri = policy.checkUrl(url);
        } catch (EndpointAddressPolicy.UrlRefusedException e) {
            return Attempt.failed("url not allowed: " + e.getMessage());
        }
        HttpPost request = new HttpPost(uri);
        headers.forEach(request::setHeader);
        request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON.withCharset("utf-8")));
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            timedOut.set(true);
            request.cancel();
        }, properties.connectTimeoutMs() + properties.requestTimeoutMs(), TimeUnit.MILLISECONDS);
        try {
            ClassicHttpResponse response = http.executeOpen(null, request, null);
            // the status line and headers are the answer; the body is read only to reuse the connection
            int status = response.getCode();
            String error = status >= 200 && status < 300 ? null : "HTTP " + status;
            Attempt attempt = new Attempt(status, error, retryAfterMs(status, response.getFirstHeader("Retry-After")),
                    false);
            discardBody(request, response);
            return attempt;
        } catch (EndpointAddressPolicy.AddressNotAllowedException e) {
            return Attempt.failed("address not allowed: " + e.getMessage());
        } catch (ConnectException e) {
            return Attempt.failed("cannot connect: " + describe(e));
        } catch (ConnectTimeoutException e) {
            return Attempt.failed("timeout: cannot connect within " + properties.connectTimeoutMs() + " ms");
        } catch (SocketTimeoutException e) {
            return Attempt.failed("timeout: no answer within " + properties.requestTimeoutMs() + " ms");
        } catch (IOException | RuntimeException e) {
            if (timedOut.get()) {
                return Attempt.failed("timeout: no complete answer within "
                        + (properties.connectTimeoutMs() + properties.requestTimeoutMs()) + " ms");
            }
            if (Thread.currentThread().isInterrupted()) {
                return new Attempt(null, "interrupted", 0, true);
            }
            return Attempt.failed(describe(e));
        } finally {
            deadline.cancel(false);
        }
    }

    /**
     * Reads and drops at most {@link #RESPONSE_BYTES_MAX} bytes of the answer's body. A body
     * that ends within them leaves the connection reusable; a longer one, or one that fails or
     * stalls (until the deadline), gets the connection closed unread.
     */
    private static void discardBody(HttpPost request, ClassicHttpResponse response) {
        boolean whole = false;
        try {
            HttpEntity entity = response.getEntity();
            InputStream in = entity == null ? null : entity.getContent();
            whole = in == null;
            byte[] buffer = new byte[1024];
            long read = 0;
            while (!whole && read <= RESPONSE_BYTES_MAX) {
                int n = in.read(buffer);
                whole = n < 0;
                read += Math.max(n, 0);
            }
        } catch (IOException | RuntimeException unreadable) {
            whole = false;
        } finally {
            if (!whole) {
                request.cancel(); // drops the connection: nothing more is read
            }
            try {
                response.close(); // after a whole body: back to the pool
            } catch (IOException alreadyDropped) {
                // cancelled above: the connection is gone, which is what we wanted
            }
        }
    }

    /** Honours {@code Retry-After: <seconds>} on 429 and 503, within the backoff cap. */
    private long retryAfterMs(int status, Header retryAfter) {
        if ((status != 429 && status != 503) || retryAfter == null || retryAfter.getValue() == null) {
            return 0;
        }
        try {
            long seconds = Long.parseLong(retryAfter.getValue().trim());
            return seconds <= 0 ? 0L : Math.min(properties.backoffCapMs(), Math.multiplyExact(seconds, 1000L));
        } catch (NumberFormatException | ArithmeticException notSeconds) {
            return 0L; // an HTTP date or garbage: our own backoff applies
        }
    }

    @PreDestroy
    void stop() {
        deadlines.shutdownNow();
        http.close(CloseMode.IMMEDIATE);
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
