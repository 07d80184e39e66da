package io.moneytrail.sandbox;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The ATOL dialect's cash register: its tokens, its documents and how they settle. A registered
 * document is {@code wait} until its {@code ready_at} (the configured processing time, or a
 * fault's {@code wait_ms}); then it is settled once, in a transaction: {@code fail} with the
 * fault's ATOL error, or with the driver error a real register would give (a total that is not
 * the sum of the lines, payments short of the total, more non-cash than the total), else
 * {@code done} with fiscal attributes of its own (FN number, fiscal document number from a
 * sequence, receipt number within the Moscow day's shift, a fiscal sign derived from the
 * document). A report that finds a document due settles it on the spot; a timer does it for
 * documents nobody asks about, and a sweep after a restart. A settled document with a
 * {@code service.callback_url} is POSTed there (the report's body), with retries.
 */
@Component
@ConditionalOnSandbox
@EnableConfigurationProperties(AtolSandboxProperties.class)
class AtolCashRegister implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AtolCashRegister.class);

    static final Duration TOKEN_LIFETIME = Duration.ofHours(24);
    static final String FNS_SITE = "www.nalog.gov.ru";
    /** The sandbox's made-up register: FN serial (16 digits), registration number (16), OFD's INN. */
    static final String FN_NUMBER = "9999078900004312";
    static final String ECR_REGISTRATION_NUMBER = "0000000001002293";
    static final String OFD_INN = "7700000000";
    static final String DAEMON_CODE = "sandbox-agent-1";
    static final String DEVICE_CODE = "SANDBOX-KKT-1";
    /** Shift 1 is the first Moscow day of 2026; one shift a day. */
    static final LocalDate FIRST_SHIFT = LocalDate.of(2026, 1, 1);

    static final int CALLBACK_ATTEMPTS_MAX = 5;
    static final Duration CALLBACK_FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration CALLBACK_TIMEOUT = Duration.ofSeconds(10);
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);
    /** Callbacks younger than this may still be on their way from the settling thread. */
    static final Duration SWEEP_CALLBACK_MIN_AGE = Duration.ofSeconds(60);
    /** Settling timers past this are left to the sweep. */
    static final Duration TIMER_MAX = Duration.ofMinutes(10);

    private static final String COLUMNS = "uuid, group_code, external_id, operation, request, callback_url, plan,"
            + " status, error, payload, ready_at, created_at, settled_at, callback_attempts";

    /** One stored document. */
    record Stored(String uuid, String groupCode, String externalId, String operation, String request,
                  String callbackUrl, String plan, String status, String error, String payload, Instant readyAt,
                  Instant createdAt, Instant settledAt, int callbackAttempts) {
    }

    record Token(String login, Instant expiresAt) {
    }

    private final SandboxStore store;
    private final SandboxUrls urls;
    private final AtolSandboxProperties properties;
    private final Clock clock;
    private final HttpClient http;
    private final SandboxScheduler scheduler;
    private final Set<String> callbacksInFlight = ConcurrentHashMap.newKeySet();

    AtolCashRegister(SandboxStore store, SandboxUrls urls, AtolSandboxProperties properties,
                     ObjectProvider<Clock> clock) {
        this.store = store;
        this.urls = urls;
        this.properties = properties;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1).build();
        this.scheduler = new SandboxScheduler("sandbox-atol", 2, this::sweep, SWEEP_INTERVAL);
    }

    @Override
    public void destroy() {
        scheduler.shutdown(); // what is left settles on the next read or the next start's sweep
    }

    Instant now() {
        return clock.instant();
    }

    AtolSandboxProperties account() {
        return properties;
    }

    // ---------------------------------------------------------------- tokens

    String issueToken(String login, Instant now) {
        String token = HexFormat.of().formatHex(random(24));
        store.jdbc().sql("insert into sbx_atol_tokens (token, login, issued_at, expires_at) values (:t, :l, :i, :e)")
                .param("t", token).param("l", login).param("i", Timestamp.from(now))
                .param("e", Timestamp.from(now.plus(TOKEN_LIFETIME))).update();
        return token;
    }

    Optional<Token> token(String token) {
        return store.jdbc().sql("select login, expires_at from sbx_atol_tokens where token = :t").param("t", token)
                .query((rs, n) -> new Token(rs.getString(1), rs.getTimestamp(2).toInstant())).optional();
    }

    // ---------------------------------------------------------------- documents

    /**
     * Registers a document, or throws ATOL's error 33 carrying the uuid of the document already
     * registered under this {@code external_id} in this group (whatever the new body says).
     */
    String register(String group, String operation, String request, AtolRequests.Document document,
                    AtolFaults.Profile fault, Instant now) {
        String uuid = UUID.randomUUID().toString();
        long waitMs = fault.waitMs() != null ? fault.waitMs() : properties.processingMs();
        Instant readyAt = now.plusMillis(waitMs);
        Optional<String> inserted = store.jdbc().sql("""
                insert into sbx_atol_documents (uuid, group_code, external_id, operation, request, callback_url,
                                                plan, status, ready_at, created_at)
                values (:uuid, :group, :externalId, :operation, :request, :callback, :plan, 'wait', :ready, :now)
                on conflict (group_code, external_id) do nothing
                returning uuid""")
                .param("uuid", uuid).param("group", group).param("externalId", document.externalId())
                .param("operation", operation).param("request", request).param("callback", document.callbackUrl())
                .param("plan", plan(fault)).param("ready", Timestamp.from(readyAt)).param("now", Timestamp.from(now))
                .query(String.class).optional();
        if (inserted.isEmpty()) {
            String existing = store.jdbc().sql("select uuid from sbx_atol_documents where group_code = :g and external_id = :e")
                    .param("g", group).param("e", document.externalId()).query(String.class).single();
            throw new AtolWire.AtolError(AtolWire.Code.EXTERNAL_ID_EXISTS, existing, "wait",
                    document.externalId(), group);
        }
        scheduleSettle(uuid, Duration.ofMillis(waitMs));
        return uuid;
    }

    /** A fault set for a document still waiting changes how, and when, it settles. */
    void replan(String externalId, AtolFaults.Profile fault, Instant now) {
        List<Stored> waiting = store.jdbc().sql("select " + COLUMNS
                        + " from sbx_atol_documents where external_id = :e and status = 'wait'")
                .param("e", externalId).query(AtolCashRegister::row).list();
        for (Stored document : waiting) {
            Instant readyAt = document.createdAt().plusMillis(fault.waitMs() != null ? fault.waitMs()
                    : properties.processingMs());
            store.jdbc().sql("update sbx_atol_documents set plan = :plan, ready_at = :ready"
                            + " where uuid = :u and status = 'wait'")
                    .param("plan", plan(fault)).param("ready", Timestamp.from(readyAt)).param("u", document.uuid())
                    .update();
            scheduleSettle(document.uuid(), Duration.between(now, readyAt));
        }
    }

    private static String plan(AtolFaults.Profile fault) {
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("outcome", "fail".equals(fault.outcome()) ? "fail" : "done");
        if ("fail".equals(fault.outcome())) {
            String text = fault.errorText() != null ? fault.errorText()
                    : AtolWire.FAILURES.get(fault.errorType() + ":" + fault.errorCode());
            plan.put("error", Map.of("code", fault.errorCode(), "text", text, "type", fault.errorType()));
        }
        return SandboxJson.string(plan);
    }

    Optional<Stored> stored(String uuid) {
        return store.jdbc().sql("select " + COLUMNS + " from sbx_atol_documents where uuid = :u").param("u", uuid)
                .query(AtolCashRegister::row).optional();
    }

    /** The document as ATOL's report gives it, settled first if it is due; empty if unknown. */
    Optional<Map<String, Object>> report(String uuid, Instant now) {
        Optional<Stored> found = stored(uuid);
        if (found.isPresent() && "wait".equals(found.get().status()) && !found.get().readyAt().isAfter(now)) {
            settle(uuid);
            found = stored(uuid);
        }
        return found.map(document -> render(document, now));
    }

    List<Stored> byExternalId(String externalId) {
        return store.jdbc().sql("select " + COLUMNS + " from sbx_atol_documents where external_id = :e order by created_at")
                .param("e", externalId).query(AtolCashRegister::row).list();
    }

    Optional<Stored> byFiscalDocument(long fiscalDocumentNumber) {
        return store.jdbc().sql("select " + COLUMNS + " from sbx_atol_documents where fiscal_document_number = :n")
                .param("n", fiscalDocumentNumber).query(AtolCashRegister::row).optional();
    }

    /** ATOL's report body; the callback carries the same. */
    static Map<String, Object> render(Stored document, Instant now) {
        boolean settled = !"wait".equals(document.status());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("uuid", document.uuid());
        body.put("error", document.error() == null ? null : AtolWire.JSON.readTree(document.error()));
        body.put("status", document.status());
        body.put("payload", document.payload() == null ? null : AtolWire.JSON.readTree(document.payload()));
        body.put("timestamp", AtolWire.time(now));
        body.put("group_code", document.groupCode());
        body.put("daemon_code", settled ? DAEMON_CODE : null);
        body.put("device_code", settled ? DEVICE_CODE : null);
        body.put("external_id", document.externalId());
        body.put("callback_url", document.callbackUrl() == null ? "" : document.callbackUrl());
        return body;
    }

    /** Settles the document if it is waiting and due; then calls back if it asked to be. */
    void settle(String uuid) {
        Boolean settled = store.inTransaction(() -> {
            Optional<Stored> locked = store.jdbc().sql("select " + COLUMNS
                            + " from sbx_atol_documents where uuid = :u and status = 'wait' for update")
                    .param("u", uuid).query(AtolCashRegister::row).optional();
            Instant now = now();
            if (locked.isEmpty() || locked.get().readyAt().isAfter(now)) {
                return false;
            }
            Stored document = locked.get();
            JsonNode request = AtolWire.JSON.readTree(document.request());
            AtolRequests.Document parsed = AtolRequests.read(document.operation(), request);
            JsonNode plan = AtolWire.JSON.readTree(document.plan());
            Map<String, Object> error = failure(plan, parsed);
            if (error != null) {
                store.jdbc().sql("update sbx_atol_documents set status = 'fail', error = :error, settled_at = :now"
                                + " where uuid = :u")
                        .param("error", SandboxJson.string(error)).param("now", Timestamp.from(now)).param("u", uuid)
                        .update();
                return true;
            }
            store.jdbc().sql("select 1 from (select pg_advisory_xact_lock(hashtext('sbx_atol_fiscal_numbers'))) locked")
                    .query(Integer.class).single();
            Instant fiscalTime = now.truncatedTo(ChronoUnit.MINUTES);
            int shift = (int) Math.max(1, ChronoUnit.DAYS.between(FIRST_SHIFT, fiscalTime.atZone(AtolWire.ZONE)
                    .toLocalDate()) + 1);
            long documentNumber = store.jdbc().sql("select nextval('sbx_atol_fiscal_document_numbers')")
                    .query(Long.class).single();
            int receiptNumber = store.jdbc().sql("select coalesce(max(fiscal_receipt_number), 0) + 1"
                            + " from sbx_atol_documents where shift_number = :s")
                    .param("s", shift).query(Integer.class).single();
            String datetime = AtolWire.time(fiscalTime);
            long sign = fiscalSign(documentNumber, datetime, parsed.totalValue());
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("total", parsed.total());
            payload.put("fns_site", FNS_SITE);
            payload.put("fn_number", FN_NUMBER);
            payload.put("shift_number", shift);
            payload.put("receipt_datetime", datetime);
            payload.put("fiscal_receipt_number", receiptNumber);
            payload.put("fiscal_document_number", documentNumber);
            payload.put("ecr_registration_number", ECR_REGISTRATION_NUMBER);
            payload.put("fiscal_document_attribute", sign);
            payload.put("ofd_inn", OFD_INN);
            payload.put("ofd_receipt_url", urls.publicBase() + "/atol/ofd/receipt?fn=" + FN_NUMBER + "&i="
                    + documentNumber + "&fp=" + sign);
            store.jdbc().sql("""
                    update sbx_atol_documents
                       set status = 'done', payload = :payload, shift_number = :shift,
                           fiscal_receipt_number = :receipt, fiscal_document_number = :document, settled_at = :now
                     where uuid = :u""")
                    .param("payload", SandboxJson.string(payload)).param("shift", shift).param("receipt", receiptNumber)
                    .param("document", documentNumber).param("now", Timestamp.from(now)).param("u", uuid).update();
            return true;
        });
        if (Boolean.TRUE.equals(settled)) {
            stored(uuid).filter(d -> d.callbackUrl() != null).ifPresent(d -> startCallback(uuid, d.callbackAttempts()));
        }
    }

    /** The fault's error, or the error the register itself gives; null: the document is fiscalised. */
    private static Map<String, Object> failure(JsonNode plan, AtolRequests.Document document) {
        if ("fail".equals(plan.path("outcome").asString(""))) {
            JsonNode error = plan.path("error");
            return AtolWire.error(error.path("code").asInt(), error.path("text").asString(""),
                    error.path("type").asString(""));
        }
        if (document.itemsSum().compareTo(document.totalValue()) != 0) {
            return driver(-3803);
        }
        if (document.paymentsSum().compareTo(document.totalValue()) < 0) {
            return driver(-3897);
        }
        if (document.nonCashSum().compareTo(document.totalValue()) > 0) {
            return driver(-3896);
        }
        return null;
    }

    private static Map<String, Object> driver(int code) {
        return AtolWire.error(code, AtolWire.FAILURES.get("driver:" + code), "driver");
    }

    /** A 32-bit fiscal sign (FPD), derived from the document as a fiscal drive derives one from its key. */
    static long fiscalSign(long documentNumber, String datetime, BigDecimal total) {
        byte[] digest = sha256(FN_NUMBER + "|" + documentNumber + "|" + datetime + "|" + total.toPlainString());
        long sign = ((digest[0] & 0xFFL) << 24) | ((digest[1] & 0xFFL) << 16) | ((digest[2] & 0xFFL) << 8)
                | (digest[3] & 0xFFL);
        return sign == 0 ? 1 : sign;
    }

    // ---------------------------------------------------------------- timers, callbacks, sweep

    private void scheduleSettle(String uuid, Duration delay) {
        if (delay.compareTo(TIMER_MAX) > 0) {
            return; // the sweep settles it when it is due
        }
        schedule(() -> settle(uuid), Math.max(0, delay.toMillis()));
    }

    private void startCallback(String uuid, int attemptsSoFar) {
        if (callbacksInFlight.add(uuid)) {
            schedule(() -> callback(uuid, attemptsSoFar + 1), 0);
        }
    }

    private void callback(String uuid, int attempt) {
        Optional<Stored> found = stored(uuid);
        if (found.isEmpty() || found.get().callbackUrl() == null) {
            callbacksInFlight.remove(uuid);
            return;
        }
        Stored document = found.get();
        Integer status = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(document.callbackUrl()))
                    .timeout(CALLBACK_TIMEOUT)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(SandboxJson.bytes(render(document, now()))))
                    .build();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | IllegalArgumentException e) {
            log.debug("Sandbox ATOL: callback for {} not delivered: {}", uuid, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callbacksInFlight.remove(uuid);
            return;
        }
        boolean delivered = status != null && status >= 200 && status < 300;
        store.jdbc().sql("update sbx_atol_documents set callback_attempts = :attempt,"
                        + " callback_last_status = cast(:status as integer)"
                        + (delivered ? ", callback_delivered_at = :now" : "") + " where uuid = :u")
                .param("attempt", attempt).param("status", status).param("now", Timestamp.from(now()))
                .param("u", uuid).update();
        if (delivered || attempt >= CALLBACK_ATTEMPTS_MAX) {
            callbacksInFlight.remove(uuid);
            if (!delivered) {
                log.warn("Sandbox ATOL: gave up on the callback for {} after {} attempts", uuid, attempt);
            }
            return;
        }
        schedule(() -> callback(uuid, attempt + 1), CALLBACK_FIRST_RETRY.toMillis() << (attempt - 1));
    }

    private void sweep() {
        try {
            Instant now = now();
            store.jdbc().sql("select uuid from sbx_atol_documents where status = 'wait' and ready_at <= :now"
                            + " order by ready_at limit 100")
                    .param("now", Timestamp.from(now)).query(String.class).list().forEach(this::settle);
            store.jdbc().sql("""
                    select uuid, callback_attempts from sbx_atol_documents
                     where callback_url is not null and callback_delivered_at is null and status <> 'wait'
                       and settled_at <= :old and callback_attempts < :max
                     order by settled_at limit 100""")
                    .param("old", Timestamp.from(now.minus(SWEEP_CALLBACK_MIN_AGE)))
                    .param("max", CALLBACK_ATTEMPTS_MAX)
                    .query((rs, n) -> Map.entry(rs.getString(1), rs.getInt(2))).list()
                    .forEach(e -> startCallback(e.getKey(), e.getValue()));
        } catch (RuntimeException e) {
            log.warn("Sandbox ATOL: sweep failed: {}", e.toString());
        }
    }

    private void schedule(Runnable task, long delayMs) {
        scheduler.later(task, delayMs);
    }

    // ---------------------------------------------------------------- helpers

    private static Stored row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Timestamp settled = rs.getTimestamp("settled_at");
        return new Stored(rs.getString("uuid"), rs.getString("group_code"), rs.getString("external_id"),
                rs.getString("operation"), rs.getString("request"), rs.getString("callback_url"), rs.getString("plan"),
                rs.getString("status"), rs.getString("error"), rs.getString("payload"),
                rs.getTimestamp("ready_at").toInstant(), rs.getTimestamp("created_at").toInstant(),
                settled == null ? null : settled.toInstant(), rs.getInt("callback_attempts"));
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        new java.security.SecureRandom().nextBytes(value);
        return value;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
