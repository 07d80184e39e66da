package io.moneytrail.database;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Rows to insert, kept per transaction and written together by one call of the writer (one
 * statement) just before the transaction commits, in the order they were added; a transaction
 * that rolls back writes none. {@link #flush()} writes them earlier, e.g. before a read that
 * must see them. Outside a transaction, and for rows added after the before-commit write (by
 * another before-commit step), the writer is called at once.
 *
 * <p>The pending rows belong to the transaction's synchronizations, which Spring suspends and
 * resumes with the transaction: a {@code REQUIRES_NEW} transaction inside has its own. Rows first
 * added by a before-commit step (when Spring no longer calls the before-commit of a
 * synchronization registered then) are written by {@link Leftovers}, right before the commit.
 *
 * @param <T> a row as the writer takes it
 */
public final class TransactionBuffer<T> {

    private static final Logger log = LoggerFactory.getLogger(TransactionBuffer.class);

    private final Consumer<List<T>> writer;

    /** @param writer writes the given rows, in order, in the current transaction if any */
    public TransactionBuffer(Consumer<List<T>> writer) {
        this.writer = writer;
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
            write();
            written = true;
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

        void write() {
            if (!rows.isEmpty()) {
                List<T> batch = List.copyOf(rows);
                rows.clear();
                writer.accept(batch);
            }
        }
    }

    /** Keeps the row for the current transaction's commit, or writes it now (see the class comment). */
    public void add(T row) {
        Pending pending = pending(true);
        if (pending == null) {
            writer.accept(List.of(row));
        } else {
            pending.rows.add(row);
        }
    }

    /** Writes the rows the current transaction added so far. */
    public void flush() {
        Pending pending = pending(false);
        if (pending != null) {
            pending.write();
        }
    }

    /** How many rows the current transaction holds back (for tests). */
    public int pendingCount() {
        Pending pending = pending(false);
        return pending == null ? 0 : pending.rows.size();
    }

    /** Writes every buffer's rows of the current transaction that are still pending. */
    static void writeLeftovers() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof TransactionBuffer<?>.Pending pending && !pending.written) {
                pending.write();
                pending.written = true;
            }
        }
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
            writeLeftovers();
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
