package io.moneytrail.cli;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.MethodExecutionContext;

/**
 * Counts what the service's own pool sends to PostgreSQL, by who sent it: the request being
 * served on the thread ({@link #tag}, set by {@link StatementCounting}'s filter), else the
 * thread's name (background jobs). Fed by datasource-proxy's listeners around the application
 * {@code DataSource}; the sandbox's pool is not a bean and is never counted.
 * <ul>
 * <li>A <b>statement</b> is one execution sent to the server: {@code execute*} on a statement,
 * a batch counting once (one round trip; its items are counted apart).</li>
 * <li>A <b>commit</b> is a read-write transaction that committed: {@code commit()} after at
 * least one statement that is not a plain {@code SELECT} (a {@code SELECT … FOR UPDATE} counts
 * as a write: PostgreSQL refuses it in a read-only transaction, and it gives the transaction an
 * id whose commit is flushed), or a write in autocommit mode. A {@code commit()} after reads only
 * is counted apart as a read-only transaction; it makes the server flush nothing.</li>
 * </ul>
 */
final class StatementCounter {

    /** The call the current thread serves; null outside a request. */
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private static final Pattern LEADING_NOISE = Pattern.compile("^(\\s|\\(|/\\*.*?\\*/|--[^\\n]*\\n)+",
            Pattern.DOTALL);
    private static final Pattern LOCKING_READ = Pattern.compile("\\bfor\\s+(no\\s+key\\s+)?(update|share|key\\s+share)\\b");
    private static final Pattern DATA_CHANGE = Pattern.compile("\\b(insert|update|delete|merge)\\b");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern STRING_LITERAL = Pattern.compile("'(?:[^']|'')*'");
    private static final Pattern NUMBER_LITERAL = Pattern.compile("(?<![\\w$])-?\\d+(\\.\\d+)?\\b");
    private static final Pattern THREAD_NUMBER = Pattern.compile("\\d+");
    private static final int CLASSIFIED_MAX = 10_000;

    private final boolean histogram;
    private final Map<String, Figures> byTag = new ConcurrentHashMap<>();
    /** Tag, then normalized statement text, to how often it ran. */
    private final Map<String, Map<String, LongAdder>> sqlHistogram = new ConcurrentHashMap<>();
    /** Statement text to what it is: the same few dozen texts run all the time, the regexes once each. */
    private final Map<String, Classified> classified = new ConcurrentHashMap<>();
    /** Connection id (one per checkout from the pool) to whether its open transaction wrote. */
    private final Map<String, Boolean> wrote = new ConcurrentHashMap<>();
    private final LongAdder lastActivity = new LongAdder();

    StatementCounter(boolean histogram) {
        this.histogram = histogram;
    }

    static void tag(String call) {
        CURRENT.set(call);
    }

    static void untag() {
        CURRENT.remove();
    }

    private static String currentTag() {
        String call = CURRENT.get();
        if (call != null) {
            return call;
        }
        return "background " + THREAD_NUMBER.matcher(Thread.currentThread().getName()).replaceAll("N");
    }

    // ------------------------------------------------------------------ listeners

    /** After every statement execution (datasource-proxy's query listener). */
    void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
        Figures figures = figures(currentTag());
        figures.statements.increment();
        if (execution.isBatch()) {
            figures.batchItems.add(Math.max(1, execution.getBatchSize()));
        }
        boolean write = false;
        for (QueryInfo query : queries) {
            String sql = query.getQuery();
            Classified known = classified.get(sql);
            if (known == null) {
                known = new Classified(writes(sql), histogram ? normalize(sql) : null);
                if (classified.size() < CLASSIFIED_MAX) {
                    classified.put(sql, known);
                }
            }
            write |= known.write();
            if (histogram) {
                sqlHistogram.computeIfAbsent(currentTag(), t -> new ConcurrentHashMap<>())
                        .computeIfAbsent(known.normalized(), k -> new LongAdder()).increment();
            }
        }
        if (write) {
            if (autoCommit(execution)) {
                figures.commits.increment();
            } else {
                wrote.put(execution.getConnectionId(), Boolean.TRUE);
            }
        }
        if (CURRENT.get() != null) {
            lastActivity.increment();
        }
    }

    /** After every JDBC method call (datasource-proxy's method listener): commits and rollbacks. */
    void afterMethod(MethodExecutionContext context) {
        if (!(context.getTarget() instanceof Connection) || context.getConnectionInfo() == null) {
            return;
        }
        String connection = context.getConnectionInfo().getConnectionId();
        switch (context.getMethod().getName()) {
            case "commit" -> finishTransaction(connection, true);
            case "rollback" -> {
                if (context.getMethodArgs() == null || context.getMethodArgs().length == 0) {
                    finishTransaction(connection, false);
                }
            }
            // switching autocommit back on commits the open transaction (JDBC)
            case "setAutoCommit" -> {
                if (Boolean.TRUE.equals(context.getMethodArgs()[0]) && wrote.remove(connection) != null) {
                    figures(currentTag()).commits.increment();
                }
            }
            // returned to the pool with a transaction open: the pool rolls it back
            case "close" -> wrote.remove(connection);
            default -> {
            }
        }
    }

    private void finishTransaction(String connection, boolean committed) {
        boolean readWrite = wrote.remove(connection) != null;
        Figures figures = figures(currentTag());
        if (!committed) {
            figures.rollbacks.increment();
        } else if (readWrite) {
            figures.commits.increment();
        } else {
            figures.readOnlyCommits.increment();
        }
    }

    private static boolean autoCommit(ExecutionInfo execution) {
        try {
            return execution.getStatement().getConnection().getAutoCommit();
        } catch (Exception e) {
            return false;
        }
    }

    /** Whether a statement makes its transaction read-write. */
    static boolean writes(String sql) {
        String text = LEADING_NOISE.matcher(sql).replaceFirst("").toLowerCase(Locale.ROOT);
        int space = 0;
        while (space < text.length() && Character.isLetter(text.charAt(space))) {
            space++;
        }
        String verb = text.substring(0, space);
        return switch (verb) {
            case "select", "values", "table" -> LOCKING_READ.matcher(text).find();
            case "with" -> DATA_CHANGE.matcher(text).find() || LOCKING_READ.matcher(text).find();
            case "show", "set", "reset", "begin", "start", "commit", "end", "rollback", "savepoint", "release",
                    "explain", "listen", "unlisten", "discard", "prepare", "deallocate", "fetch", "close", "" -> false;
            default -> true; // insert, update, delete, merge, copy, DDL, lock, call, notify, …
        };
    }

    /** A statement's text with literals replaced and whitespace folded, for the histogram. */
    static String normalize(String sql) {
        String text = WHITESPACE.matcher(sql.strip()).replaceAll(" ");
        text = STRING_LITERAL.matcher(text).replaceAll("'?'");
        text = NUMBER_LITERAL.matcher(text).replaceAll("N");
        return text.length() > 220 ? text.substring(0, 217) + "..." : text;
    }

    // ------------------------------------------------------------------ requests

    void requestServed(String call, long nanos) {
        Figures figures = figures(call);
        figures.requests.increment();
        figures.serverNanos.add(nanos);
        lastActivity.increment();
    }

    private Figures figures(String tag) {
        return byTag.computeIfAbsent(tag, t -> new Figures());
    }

    /** Forgets the counts (the open transactions' write flags stay: they belong to the connections). */
    void reset() {
        byTag.clear();
        sqlHistogram.clear();
    }

    /** Changes every time a request ends or runs a statement (background jobs aside): to wait until requests stop. */
    long activity() {
        return lastActivity.sum();
    }

    /** What was counted since the last reset, per tag, sorted by statements (most first). */
    Map<String, Snapshot> snapshot() {
        List<Map.Entry<String, Figures>> entries = new ArrayList<>(byTag.entrySet());
        entries.sort(Comparator.comparingLong((Map.Entry<String, Figures> e) -> e.getValue().statements.sum())
                .reversed().thenComparing(Map.Entry::getKey));
        Map<String, Snapshot> result = new LinkedHashMap<>();
        for (Map.Entry<String, Figures> e : entries) {
            Figures f = e.getValue();
            List<Long> nanos;
            synchronized (f.serverNanos) {
                nanos = new ArrayList<>(f.serverNanos);
            }
            result.put(e.getKey(), new Snapshot(f.requests.sum(), f.statements.sum(), f.batchItems.sum(),
                    f.commits.sum(), f.readOnlyCommits.sum(), f.rollbacks.sum(), nanos));
        }
        return result;
    }

    /** Normalized statement texts (prefixed with the tag and a tab) and how often each ran, most first. */
    List<Map.Entry<String, Long>> histogram() {
        List<Map.Entry<String, Long>> rows = new ArrayList<>();
        sqlHistogram.forEach((tag, texts) -> texts.forEach((sql, count) -> rows.add(Map.entry(tag + "\t" + sql,
                count.sum()))));
        rows.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry::getKey));
        return rows;
    }

    private record Classified(boolean write, String normalized) {
    }

    record Snapshot(long requests, long statements, long batchItems, long commits, long readOnlyCommits,
                    long rollbacks, List<Long> serverNanos) {
    }

    private static final class Figures {
        final LongAdder requests = new LongAdder();
        final LongAdder statements = new LongAdder();
        final LongAdder batchItems = new LongAdder();
        final LongAdder commits = new LongAdder();
        final LongAdder readOnlyCommits = new LongAdder();
        final LongAdder rollbacks = new LongAdder();
        final List<Long> serverNanos = java.util.Collections.synchronizedList(new ArrayList<>());
    }
}
