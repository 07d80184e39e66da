package io.moneytrail.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A store's webhook endpoint for tests: a real HTTP server on 127.0.0.1 that records every
 * request and answers what the test tells it to (200 by default).
 */
public final class Receiver implements AutoCloseable {

    private static final JsonMapper JSON = new JsonMapper();
    private static final Duration AWAIT_MAX = Duration.ofSeconds(30);

    /** One request as it arrived. */
    public record Received(String eventId, String signature, String instance, int attempt, byte[] body,
                           JsonNode json, long arrivedNanos) {
        public String type() {
            return json.path("type").asText();
        }

        public String order() {
            return json.path("order").asText();
        }

        public String id() {
            return json.path("id").asText();
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile ToIntFunction<Received> answer = r -> 200;
    private volatile long delayMs;

    private Receiver(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** On a free port. */
    public static Receiver start() {
        return new Receiver(0);
    }

    /** On a given port (a receiver that comes back up where it was). */
    public static Receiver start(int port) {
        return new Receiver(port);
    }

    /** A loopback port nobody listens on (just now): an endpoint that is down. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String url(int port) {
        return "http://127.0.0.1:" + port + "/hooks";
    }

    public String url() {
        return url(server.getAddress().getPort());
    }

    /** The status to answer, decided per request (after it is recorded). */
    public Receiver answer(ToIntFunction<Received> status) {
        this.answer = status;
        return this;
    }

    /** Time spent before answering each request. */
    public Receiver delay(long millis) {
        this.delayMs = millis;
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(Predicate<Received> which) {
        return received.stream().filter(which).toList();
    }

    /** Waits until a request matching {@code which} has arrived, bounded. */
    public Received await(Predicate<Received> which) {
        return awaitCount(which, 1).get(0);
    }

    /** Waits until {@code count} requests matching {@code which} have arrived, bounded. */
    public List<Received> awaitCount(Predicate<Received> which, int count) {
        long deadline = System.nanoTime() + AWAIT_MAX.toNanos();
        while (true) {
            List<Received> matching = received(which);
            if (matching.size() >= count) {
                return matching;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " matching requests within " + AWAIT_MAX + ", got "
                        + matching.size() + " (of " + received.size() + " in all)");
            }
            Api.sleep(20);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            long arrived = System.nanoTime();
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (RuntimeException notJson) {
                json = JSON.missingNode();
            }
            String attempt = exchange.getRequestHeaders().getFirst("Moneytrail-Delivery-Attempt");
            Received request = new Received(exchange.getRequestHeaders().getFirst("Moneytrail-Event-Id"),
                    exchange.getRequestHeaders().getFirst("Moneytrail-Signature"),
                    exchange.getRequestHeaders().getFirst("Moneytrail-Instance"),
                    attempt == null ? 0 : Integer.parseInt(attempt), body, json, arrived);
            received.add(request);
            if (delayMs > 0) {
                Api.sleep(delayMs);
            }
            exchange.sendResponseHeaders(answer.applyAsInt(request), -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
