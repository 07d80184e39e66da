package io.moneytrail.database;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Rows to insert, kept per transaction and written just before the transaction commits, in the
 * order they were added; a transaction that rolls back writes none. Every buffer's rows of one
 * transaction go in ONE statement: each buffer contributes data-modifying CTEs ({@link Sql}),
 * and they run together as {@code with <all of them> select 1}. {@link #flush()} writes a
 * buffer's rows earlier, e.g. before a read that must see them. Outside a transaction, and for
 * rows added after the before-commit write (by another before-commit step), rows are written at
 * once.
 *
 * <p>The pending rows belong to the transaction's synchronizations, which Spring suspends and
 * resumes with the transaction: a {@code REQUIRES_NEW} transaction inside has its own. Rows first
 * added by a before-commit step (when Spring no longer calls the before-commit of a
 * synchronization registered then) are written by {@link Leftovers}, right before the commit.
 *
 * @param <T> a row as the buffer's {@link Sql} takes it
 */
public final class TransactionBuffer<T> {

    private static final Logger log = LoggerFactory.getLogger(TransactionBuffer.class);

    /** A buffer's part of the statement: CTEs ({@code name as (insert ...)}) and their parameters. */
    public record Piece(List<String> ctes, Map<String, Object> params) {
    }

    /**
     * Builds a buffer's part of the statement for the given rows. Every CTE name and parameter
     * name it uses must start with {@code prefix}, so that the parts of several buffers can be
     * joined into one statement.
     */
    @FunctionalInterface
    public interface Sql<T> {
        Piece piece(List<T> rows, String prefix);
    }

    private final JdbcClient jdbc;
    private final Sql<T> sql;

    public TransactionBuffer(JdbcClient jdbc, Sql<T> sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    private final class Pending implements TransactionSynchronization {
        private final List<T> rows = new ArrayList<>();
        private boolean written;

        TransactionBuffer<T> owner() {
            return TransactionBuffer.this;
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE; // after the before-commit steps that add rows
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            writeAllPending(); // the first buffer to get here writes every buffer's rows
        }

        @Override
        public void afterCompletion(int status) {
            if (status == STATUS_COMMITTED && !rows.isEmpty()) {
                log.error("{} row(s) added during the commit were not written (no {} on this transaction manager)",
                        rows.size(), Leftovers.class.getSimpleName());
            }
            rows.clear();
            written = true;
        }

        Piece take(String prefix) {
            if (rows.isEmpty()) {
                return null;
            }
            List<T> batch = List.copyOf(rows);
            rows.clear();
            return sql.piece(batch, prefix);
        }
    }

    /** Keeps the row for the current transaction's commit, or writes it now (see the class comment). */
    public void add(T row) {
        Pending pending = pending(true);
        if (pending == null) {
            execute(jdbc, List.of(sql.piece(List.of(row), "b0_")));
        } else {
            pending.rows.add(row);
        }
    }

    /** Writes the rows of this buffer the current transaction added so far. */
    public void flush() {
        Pending pending = pending(false);
        if (pending != null) {
            Piece piece = pending.take("b0_");
            if (piece != null) {
                execute(jdbc, List.of(piece));
            }
        }
    }

    /** How many rows the current transaction holds back here (for tests). */
    public int pendingCount() {
        Pending pending = pending(false);
        return pending == null ? 0 : pending.rows.size();
    }

    /** Writes, in one statement, every buffer's rows of the current transaction, and closes the buffers. */
    static void writeAllPending() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        List<Piece> pieces = new ArrayList<>();
        JdbcClient client = null;
        for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof TransactionBuffer<?>.Pending pending && !pending.written) {
                pending.written = true;
                Piece piece = pending.take("b" + pieces.size() + "_");
                if (piece != null) {
                    pieces.add(piece);
                    client = pending.owner().jdbc;
                }
            }
        }
        if (!pieces.isEmpty()) {
            execute(client, pieces);
        }
    }

    private static void execute(JdbcClient jdbc, List<Piece> pieces) {
        StringBuilder statement = new StringBuilder("with ");
        Map<String, Object> params = new LinkedHashMap<>();
        boolean first = true;
        for (Piece piece : pieces) {
            for (String cte : piece.ctes()) {
                statement.append(first ? "" : ",\n").append(cte);
                first = false;
            }
            params.putAll(piece.params());
        }
        statement.append("\nselect 1");
        jdbc.sql(statement.toString()).params(params).query(Integer.class).list();
    }

    /**
     * Writes the rows added while the transaction was already committing (by a before-commit
     * step), just before the commit itself: Spring calls its listeners after every
     * synchronization's before-commit and before-completion, and a failure here rolls back.
     */
    @Component
    static class Leftovers implements TransactionExecutionListener {
        @Override
        public void beforeCommit(TransactionExecution transaction) {
            writeAllPending();
        }
    }

    private Pending pending(boolean create) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || !TransactionSynchronizationManager.isActualTransactionActive()) {
            return null;
        }
        for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof TransactionBuffer<?>.Pending pending && pending.owner() == this) {
                @SuppressWarnings("unchecked")
                Pending ours = (Pending) pending;
                return ours.written ? null : ours;
            }
        }
        if (!create) {
            return null;
        }
        Pending pending = new Pending();
        TransactionSynchronizationManager.registerSynchronization(pending);
        return pending;
    }
}
