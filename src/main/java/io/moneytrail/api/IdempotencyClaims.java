package io.moneytrail.api;

import io.moneytrail.database.Instance;
import io.moneytrail.database.TransactionBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.ObjectMapper;

/**
 * Idempotency claims as short committed rows with a lease. Each statement here commits on its
 * own (the caller holds no transaction and no connection while its request runs):
 * <ul>
 *   <li>a claim inserts the key's row {@code in_progress}, naming this instance and a lease;</li>
 *   <li>while the request runs, a timer renews the leases this instance holds (one statement for all);</li>
 *   <li>a claim whose lease has expired (its instance died, or stopped renewing) is taken over by
 *       a repeat of the same request;</li>
 *   <li>completion stores the answer, only if this instance still holds the claim (a fence);</li>
 *   <li>a deferred completion ({@link #completeLater}) keeps the answer in memory, where this
 *       instance replays it at once, and a background writer stores it together with the others
 *       that came in meanwhile: one statement and one commit per batch (group commit), fenced
 *       like {@link #complete}. Until it is written the claim stays {@code in_progress} with its
 *       lease renewed; if the process dies first, the lease runs out and a retry runs the request
 *       again, which finds what the first run created through its creation key. Only callers
 *       whose request has such a key may defer (see {@link IdempotencyFilter});</li>
 *   <li>a claim whose request failed unexpectedly (500) is released, so the client may retry.</li>
 * </ul>
 */
@Component
class IdempotencyClaims implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyClaims.class);

    /** What a claim attempt found. */
    sealed interface Found {
    }

    /** The claim is ours: run the request. */
    record Claimed(boolean takenOver) implements Found {
    }

    /** Another request holds the key (its lease is live). */
    record InProgress(byte[] requestHash) implements Found {
    }

    /** The key's answer is stored. */
    record Completed(byte[] requestHash, int status, byte[] body, String contentType) implements Found {
    }

    private record Held(String apiKeyId, String key) {
    }

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final String instance;
    private final Duration lease;
    private final Set<Held> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService renewer;
    /** Answers given but not yet written, replayed from here by this instance. */
    private final Map<Held, Completed> unwritten = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Held> toWrite = new LinkedBlockingQueue<>();
    private final Duration flushEvery;
    private final int batchMax;
    private final int unwrittenMax;
    private final Thread writer;
    private volatile boolean writing = true;
    private final AtomicLong writeStatements = new AtomicLong();
    private final AtomicLong writtenRows = new AtomicLong();

    /** Answers stored in the transaction of the change they answer ({@link Pending#answer}). */
    private final TransactionBuffer<Map<String, Object>> answers;

    IdempotencyClaims(JdbcClient jdbc, ObjectMapper json, Instance instance,
                      @Value("${moneytrail.api.idempotency-lease:30s}") Duration lease,
                      @Value("${moneytrail.api.idempotency-flush-every:20ms}") Duration flushEvery,
                      @Value("${moneytrail.api.idempotency-flush-rows:500}") int batchMax,
                      @Value("${moneytrail.api.idempotency-unwritten-max:10000}") int unwrittenMax) {
        this.jdbc = jdbc;
        this.json = json;
        this.instance = instance.id();
        this.lease = lease;
        this.flushEvery = flushEvery;
        this.batchMax = Math.max(batchMax, 1);
        this.unwrittenMax = unwrittenMax;
        this.answers = new TransactionBuffer<>(jdbc, this::answersPiece);
        this.writer = new Thread(this::writeLoop, "idempotency-completion-writer");
        writer.setDaemon(true);
        writer.start();
        this.renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "idempotency-lease-renewer");
            thread.setDaemon(true);
            return thread;
        });
        long everyMs = Math.max(lease.toMillis() / 3, 100);
        renewer.scheduleWithFixedDelay(this::renew, everyMs, everyMs, TimeUnit.MILLISECONDS);
    }

    Duration lease() {
        return lease;
    }

    /** Claims the key, takes over an expired claim of the same request, or says what holds it. */
    Found claim(String apiKeyId, String key, byte[] requestHash) {
        Completed answered = unwritten.get(new Held(apiKeyId, key));
        if (answered != null) {
            return answered; // answered here, not yet written: no statement needed
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            int inserted = jdbc.sql("""
                            insert into idempotency_keys (api_key_id, key, request_hash, status, claimed_by,
                                                          lease_expires_at)
                            values (:api, :key, :hash, 'in_progress', :me, now() + :leaseMs * interval '1 millisecond')
                            on conflict (api_key_id, key) do nothing
                            """)
                    .param("api", apiKeyId).param("key", key).param("hash", requestHash).param("me", instance)
                    .param("leaseMs", lease.toMillis()).update();
            if (inserted == 1) {
                held.add(new Held(apiKeyId, key));
                return new Claimed(false);
            }
            int takenOver = jdbc.sql("""
                            update idempotency_keys
                            set claimed_by = :me, lease_expires_at = now() + :leaseMs * interval '1 millisecond'
                            where api_key_id = :api and key = :key and status = 'in_progress' and request_hash = :hash
                              and (lease_expires_at is null or lease_expires_at < now())
                            """)
                    .param("api", apiKeyId).param("key", key).param("hash", requestHash).param("me", instance)
                    .param("leaseMs", lease.toMillis()).update();
            if (takenOver == 1) {
                held.add(new Held(apiKeyId, key));
                log.warn("idempotency key {} of {}: took over a claim whose lease had expired", key, apiKeyId);
                return new Claimed(true);
            }
            Optional<Found> found = jdbc.sql("""
                            select request_hash, status, response_status, response_body, response_type
                            from idempotency_keys where api_key_id = :api and key = :key
                            """)
                    .param("api", apiKeyId).param("key", key)
                    .query((rs, row) -> (Found) ("completed".equals(rs.getString("status"))
                            ? new Completed(rs.getBytes("request_hash"), rs.getInt("response_status"),
                            rs.getBytes("response_body"), rs.getString("response_type"))
                            : new InProgress(rs.getBytes("request_hash"))))
                    .optional();
            if (found.isPresent()) {
                return found.get();
            }
            // released between our insert and our read: try again
        }
        return new InProgress(requestHash);
    }

    /**
     * A claim not written yet: the request's first write transaction writes it ({@link #join}),
     * so the claim commits with the request's intent instead of on its own. Until then nothing
     * of the request is committed, so a concurrent repeat that does not see it yet runs into it:
     * its own claim statement waits for this transaction and then finds the key taken.
     */
    final class Pending {

        /**
         * Where the claim is: not written, joined to a transaction, committed, found taken by another
         * request, or completed with the answer in the transaction that made it ({@link #answer}).
         */
        enum State { NEW, JOINED, WRITTEN, TAKEN, ANSWERED }

        private volatile Completed answered;

        private final String apiKeyId;
        private final String key;
        private final byte[] requestHash;
        private volatile State state = State.NEW;

        private Pending(String apiKeyId, String key, byte[] requestHash) {
            this.apiKeyId = apiKeyId;
            this.key = key;
            this.requestHash = requestHash;
        }

        State state() {
            return state;
        }

        /** The answer stored by {@link #answer} when its transaction committed; null otherwise. */
        Completed answered() {
            return state == State.ANSWERED ? answered : null;
        }

        /**
         * Stores the request's answer in the current transaction, the one whose change it answers
         * (written with the commit's buffered statement, fenced by this instance's claim): no
         * commit of its own, none in the background. Only for a claim already committed
         * ({@link #join} in an earlier transaction); otherwise, or outside a transaction, nothing
         * happens and the answer is stored as usual after the request.
         */
        void answer(int status, byte[] body, String contentType) {
            if (state != State.WRITTEN || !TransactionSynchronizationManager.isActualTransactionActive()) {
                return;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("api_key_id", apiKeyId);
            row.put("key", key);
            row.put("status", status);
            row.put("body", body == null ? null : Base64.getEncoder().encodeToString(body));
            row.put("type", contentType);
            answers.add(row);
            Completed completed = new Completed(requestHash, status, body, contentType);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int outcome) {
                    if (outcome == STATUS_COMMITTED && state == State.WRITTEN) {
                        answered = completed;
                        state = State.ANSWERED;
                        held.remove(new Held(apiKeyId, key));
                    }
                }
            });
        }

        /**
         * Writes the claim in the current transaction: a new row in progress, or the takeover of
         * a claim of the same request whose lease has run out. When another request holds the key
         * (or its answer is stored), throws {@link Taken}, which rolls the transaction back. The
         * claim counts as held once the transaction commits; if it rolls back, it was never made.
         */
        void join() {
            if (state == State.WRITTEN) {
                return;
            }
            if (!TransactionSynchronizationManager.isActualTransactionActive()) {
                throw new IllegalStateException("an idempotency claim joins a transaction; none is active");
            }
            Optional<Boolean> inserted = claimHere(apiKeyId, key, requestHash);
            if (inserted.isEmpty()) {
                state = State.TAKEN;
                throw new Taken();
            }
            if (!inserted.get()) {
                log.warn("idempotency key {} of {}: took over a claim whose lease had expired", key, apiKeyId);
            }
            state = State.JOINED;
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status == STATUS_COMMITTED) {
                        held.add(new Held(apiKeyId, key));
                        state = State.WRITTEN;
                    } else if (state == State.JOINED) {
                        state = State.NEW;
                    }
                }
            });
        }
    }

    /**
     * The statement of {@link Pending#join}: inserts the claim, or takes over an expired claim of
     * the same request; empty when the key is held live or answered. Answers whether it inserted.
     */
    private Optional<Boolean> claimHere(String apiKeyId, String key, byte[] requestHash) {
        return jdbc.sql("""
                        insert into idempotency_keys as k (api_key_id, key, request_hash, status, claimed_by,
                                                           lease_expires_at)
                        values (:api, :key, :hash, 'in_progress', :me, now() + :leaseMs * interval '1 millisecond')
                        on conflict (api_key_id, key) do update
                        set claimed_by = excluded.claimed_by, lease_expires_at = excluded.lease_expires_at
                        where k.status = 'in_progress' and k.request_hash = excluded.request_hash
                          and (k.lease_expires_at is null or k.lease_expires_at < now())
                        returning (xmax = 0)
                        """)
                .param("api", apiKeyId).param("key", key).param("hash", requestHash).param("me", instance)
                .param("leaseMs", lease.toMillis()).query(Boolean.class).optional();
    }

    /** The key is held by another request, or its answer is stored: thrown by {@link Pending#join}. */
    static final class Taken extends RuntimeException {
        Taken() {
            super("this Idempotency-Key is in use by another request", null, false, false);
        }
    }

    /** A claim to be written by the request's first write transaction (see {@link Pending}). */
    Pending pending(String apiKeyId, String key, byte[] requestHash) {
        return new Pending(apiKeyId, key, requestHash);
    }

    /** The answer given here and not yet written, if any: replayed without a statement. */
    Optional<Completed> answeredHere(String apiKeyId, String key) {
        return Optional.ofNullable(unwritten.get(new Held(apiKeyId, key)));
    }

    /**
     * Stores the answer of a request whose claim was never written (it failed, or found what it
     * asked for, before writing anything): as a new completed row, or over a claim of the same
     * request whose lease has run out. False when another request holds the key or its answer
     * is stored: the caller then replays or waits for that one instead.
     */
    boolean storeUnclaimed(String apiKeyId, String key, byte[] requestHash, int status, byte[] body,
                           String contentType) {
        return jdbc.sql("""
                        insert into idempotency_keys as k (api_key_id, key, request_hash, status, claimed_by,
                                                           response_status, response_body, response_type, completed_at)
                        values (:api, :key, :hash, 'completed', :me, :status, :body, :type, now())
                        on conflict (api_key_id, key) do update
                        set status = 'completed', claimed_by = excluded.claimed_by,
                            response_status = excluded.response_status, response_body = excluded.response_body,
                            response_type = excluded.response_type, completed_at = excluded.completed_at,
                            lease_expires_at = null
                        where k.status = 'in_progress' and k.request_hash = excluded.request_hash
                          and (k.lease_expires_at is null or k.lease_expires_at < now())
                        """)
                .param("api", apiKeyId).param("key", key).param("hash", requestHash).param("me", instance)
                .param("status", status).param("body", body).param("type", contentType).update() == 1;
    }

    /** Stores the answer if this instance still holds the claim; false when the claim was lost. */
    boolean complete(String apiKeyId, String key, int status, byte[] body, String contentType) {
        try {
            return jdbc.sql("""
                            update idempotency_keys
                            set status = 'completed', response_status = :status, response_body = :body,
                                response_type = :type, completed_at = now(), lease_expires_at = null
                            where api_key_id = :api and key = :key and status = 'in_progress' and claimed_by = :me
                            """)
                    .param("status", status).param("body", body).param("type", contentType)
                    .param("api", apiKeyId).param("key", key).param("me", instance).update() == 1;
        } finally {
            held.remove(new Held(apiKeyId, key));
        }
    }

    /**
     * Stores the answer later, in a batch with others (see the class comment). Falls back to
     * {@link #complete} when too many answers wait or the writer has stopped.
     */
    void completeLater(String apiKeyId, String key, byte[] requestHash, int status, byte[] body, String contentType) {
        Held claim = new Held(apiKeyId, key);
        if (!writing || unwritten.size() >= unwrittenMax) {
            if (!complete(apiKeyId, key, status, body, contentType)) {
                log.warn("idempotency key {} of {}: the claim was lost while the request ran; answer not stored",
                        key, apiKeyId);
            }
            return;
        }
        unwritten.put(claim, new Completed(requestHash, status, body, contentType));
        toWrite.add(claim);
    }

    private void writeLoop() {
        while (writing) {
            try {
                Held first = toWrite.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Held> batch = new ArrayList<>();
                batch.add(first);
                long deadline = System.nanoTime() + flushEvery.toNanos();
                while (batch.size() < batchMax) {
                    long left = deadline - System.nanoTime();
                    Held next = left > 0 ? toWrite.poll(left, TimeUnit.NANOSECONDS) : toWrite.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("idempotency completion writer: {}", e.toString(), e);
            }
        }
    }

    /** The update of {@link Pending#answer}'s rows, fenced like {@link #complete}, as part of the commit's statement. */
    private TransactionBuffer.Piece answersPiece(List<Map<String, Object>> rows, String prefix) {
        return new TransactionBuffer.Piece(List.of(prefix + """
                answers as (
                    update idempotency_keys k
                    set status = 'completed', response_status = a.status, response_body = decode(a.body, 'base64'),
                        response_type = a.type, completed_at = now(), lease_expires_at = null
                    from json_to_recordset(cast(:%1$sanswers as json))
                         as a(api_key_id text, key text, status int, body text, type text)
                    where k.api_key_id = a.api_key_id and k.key = a.key
                      and k.status = 'in_progress' and k.claimed_by = :%1$sme
                )""".formatted(prefix)),
                Map.of(prefix + "answers", json.writeValueAsString(rows), prefix + "me", instance));
    }

    /**
     * Replaces an answer this instance stored in a change's transaction ({@link Pending#answer})
     * by the one the request actually sent, should they differ (they are built from the same
     * object, so they should not).
     */
    boolean correct(String apiKeyId, String key, int status, byte[] body, String contentType) {
        return jdbc.sql("""
                        update idempotency_keys
                        set response_status = :status, response_body = :body, response_type = :type
                        where api_key_id = :api and key = :key and status = 'completed' and claimed_by = :me
                        """)
                .param("status", status).param("body", body).param("type", contentType)
                .param("api", apiKeyId).param("key", key).param("me", instance).update() == 1;
    }

    /** Writes every answer still waiting, now, on the caller's thread (shutdown, tests). */
    void flush() {
        List<Held> batch = new ArrayList<>();
        while (toWrite.drainTo(batch, batchMax) > 0) {
            write(batch);
            batch = new ArrayList<>();
        }
    }

    /**
     * One statement for the whole batch, fenced by this instance's claim. If it fails, the
     * answers are dropped: their leases run out and a retry runs the request again, exactly as
     * after a crash (safe because only requests with a creation key are deferred).
     */
    private void write(List<Held> batch) {
        List<Map<String, Object>> rows = new ArrayList<>(batch.size());
        for (Held claim : batch) {
            Completed answer = unwritten.get(claim);
            if (answer == null) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("api_key_id", claim.apiKeyId());
            row.put("key", claim.key());
            row.put("status", answer.status());
            row.put("body", answer.body() == null ? null : Base64.getEncoder().encodeToString(answer.body()));
            row.put("type", answer.contentType());
            rows.add(row);
        }
        try {
            if (rows.isEmpty()) {
                return;
            }
            int stored = jdbc.sql("""
                            update idempotency_keys k
                            set status = 'completed', response_status = a.status,
                                response_body = decode(a.body, 'base64'), response_type = a.type,
                                completed_at = now(), lease_expires_at = null
                            from json_to_recordset(cast(:answers as json))
                                 as a(api_key_id text, key text, status int, body text, type text)
                            where k.api_key_id = a.api_key_id and k.key = a.key
                              and k.status = 'in_progress' and k.claimed_by = :me
                            """)
                    .param("answers", json.writeValueAsString(rows)).param("me", instance).update();
            writeStatements.incrementAndGet();
            writtenRows.addAndGet(stored);
            if (stored < rows.size()) {
                log.warn("idempotency completion writer: {} of {} claim(s) were lost before their answers were "
                        + "stored", rows.size() - stored, rows.size());
            }
        } catch (RuntimeException e) {
            log.warn("idempotency completion writer: could not store {} answer(s), their leases will run out and "
                    + "a retry runs them again: {}", rows.size(), e.toString());
        } finally {
            for (Held claim : batch) {
                unwritten.remove(claim);
                held.remove(claim);
            }
        }
    }

    /** Statements the writer has run and rows it has stored (for tests and metrics). */
    long[] writerCounts() {
        return new long[] {writeStatements.get(), writtenRows.get()};
    }

    /** Tests: forget every unwritten answer, as a crash would. */
    void discardUnwritten() {
        List<Held> lost = new ArrayList<>();
        toWrite.drainTo(lost);
        lost.addAll(unwritten.keySet());
        unwritten.clear();
        lost.forEach(held::remove);
    }

    /** Gives the key back (the request failed unexpectedly): a retry runs it again. */
    void release(String apiKeyId, String key) {
        try {
            jdbc.sql("""
                            delete from idempotency_keys
                            where api_key_id = :api and key = :key and status = 'in_progress' and claimed_by = :me
                            """)
                    .param("api", apiKeyId).param("key", key).param("me", instance).update();
        } finally {
            held.remove(new Held(apiKeyId, key));
        }
    }

    /** Extends the lease of every claim this instance's requests still hold: one statement for all of them. */
    void renew() {
        List<Held> claims = List.copyOf(held);
        if (claims.isEmpty()) {
            return;
        }
        try {
            jdbc.sql("""
                            update idempotency_keys k set lease_expires_at = now() + :leaseMs * interval '1 millisecond'
                            from json_to_recordset(cast(:held as json)) as h(api_key_id text, key text)
                            where k.api_key_id = h.api_key_id and k.key = h.key
                              and k.status = 'in_progress' and k.claimed_by = :me
                            """)
                    .param("leaseMs", lease.toMillis())
                    .param("held", json.writeValueAsString(claims.stream()
                            .map(h -> Map.of("api_key_id", h.apiKeyId(), "key", h.key())).toList()))
                    .param("me", instance).update();
        } catch (RuntimeException e) {
            log.warn("could not renew the leases of {} idempotency key(s): {}", claims.size(), e.toString());
        }
    }

    @Override
    @jakarta.annotation.PreDestroy
    public void close() {
        writing = false;
        try {
            writer.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush(); // what the writer had not taken yet
        renewer.shutdownNow();
    }
}
