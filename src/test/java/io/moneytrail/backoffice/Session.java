package io.moneytrail.backoffice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A back-office session without a browser, for what a browser cannot show (status codes,
 * headers, a form posted twice): its own cookie jar, no redirects followed.
 */
final class Session {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern KEY = Pattern.compile("name=\"key\" value=\"([^\"]+)\"");

    record Page(int status, String location, String body) {
        String csrf() {
            Matcher m = CSRF.matcher(body);
            if (!m.find()) {
                throw new AssertionError("no CSRF token in the page (status " + status + ")");
            }
            return m.group(1);
        }

        String oneTimeKey() {
            Matcher m = KEY.matcher(body);
            if (!m.find()) {
                throw new AssertionError("no one-time key in the page (status " + status + ")");
            }
            return m.group(1);
        }
    }

    private final String base;
    private final HttpClient http;
    private final String language;

    Session(String base) {
        this(base, "en");
    }

    Session(String base, String language) {
        this.base = base;
        this.language = language;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    Page get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept-Language", language).GET().build());
    }

    Page post(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept-Language", language)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** A file a page answered with: its type and disposition (attachment and file name). */
    record Download(int status, String contentType, String disposition, String body) {
    }

    Download download(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Accept-Language", language).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Download(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().firstValue("Content-Disposition").orElse(null), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Posts a multipart form: text fields, then files (field name, file name, bytes) as a browser does. */
    Page postMultipart(String path, Map<String, String> fields, java.util.List<Map.Entry<String, Map.Entry<String, byte[]>>> files) {
        String boundary = "----moneytrail" + System.nanoTime();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        java.util.function.Consumer<String> text = t -> body.writeBytes(t.getBytes(StandardCharsets.UTF_8));
        fields.forEach((name, value) -> text.accept("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n"));
        for (Map.Entry<String, Map.Entry<String, byte[]>> file : files) {
            text.accept("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file.getKey()
                    + "\"; filename=\"" + file.getValue().getKey() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            body.writeBytes(file.getValue().getValue());
            text.accept("\r\n");
        }
        text.accept("--" + boundary + "--\r\n");
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept-Language", language)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    /** Logs in through the form; answers where the login sent the browser. */
    Page login(String username, String password) {
        Page form = get("/admin/login");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("username", username);
        fields.put("password", password);
        fields.put("_csrf", form.csrf());
        return post("/admin/login", fields);
    }

    private Page send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Page(response.statusCode(), response.headers().firstValue("Location").orElse(null),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
