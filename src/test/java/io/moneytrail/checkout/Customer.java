package io.moneytrail.checkout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A customer without a browser, for what a browser hides (status codes, headers, two clicks at
 * the same instant): no cookies, no redirects followed, a chosen User-Agent.
 */
final class Customer {

    static final String PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/126.0 Mobile Safari/537.36";
    static final String DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/126.0 Safari/537.36";

    record Page(int status, String location, String body, java.net.http.HttpHeaders headers) {
    }

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String userAgent;

    Customer(String userAgent) {
        this.userAgent = userAgent;
    }

    Page get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("User-Agent", userAgent).GET().build());
    }

    /** A click on a provider's button of the page at {@code pageUrl}. */
    Page choose(String pageUrl, String provider) {
        return post(pageUrl + "/pay", "provider=" + URLEncoder.encode(provider, StandardCharsets.UTF_8));
    }

    Page post(String url, String form) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("User-Agent", userAgent)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private Page send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Page(response.statusCode(), response.headers().firstValue("Location").orElse(null),
                    response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
