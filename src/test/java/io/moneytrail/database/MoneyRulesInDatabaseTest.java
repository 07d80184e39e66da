package io.moneytrail.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.moneytrail.ledger.Journal;
import io.moneytrail.ledger.PostingRules;
import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import io.moneytrail.testing.ApiTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The database refuses what breaks a money rule whoever writes to it (migration V8). Every test
 * here bypasses the service: it writes SQL on a connection of its own and checks the exact
 * SQLSTATE and constraint the database answers with.
 */
class MoneyRulesInDatabaseTest extends ApiTest {

    private static final String CHECK_VIOLATION = "23514";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String SERIALIZATION_FAILURE = "40001";

    private static final ExecutorService OTHER = Executors.newSingleThreadExecutor();

    @Autowired
    DataSource dataSource;

    @Autowired
    Journal journal;

    @AfterAll
    static void stop() {
        OTHER.shutdownNow();
    }

    // ---------------------------------------------------------------- balanced journal entries

    @Test
    void an_unbalanced_entry_is_written_but_rejected_at_commit() throws Exception {
        String entry = Ids.next("je_");
        try (Connection con = transaction()) {
            insertEntry(con, entry);
            // both statements succeed: the check is deferred to commit
            insertLines(con, entry, line(0, "assets:bank:main", 100, "EUR"), line(1, "income:sales", -90, "EUR"));

            PSQLException refused = catchThrowableOfType(PSQLException.class, con::commit);

            assertRefused(refused, CHECK_VIOLATION, "journal_entries_balanced");
            assertThat(refused.getMessage()).contains(entry).contains("does not balance in EUR").contains("10");
        }
        assertThat(count("select count(*) from journal_entries where id = ?", entry)).isZero();
        assertThat(count("select count(*) from journal_lines where entry_id = ?", entry)).isZero();
    }

    @Test
    void an_entry_that_sums_to_zero_across_currencies_but_not_in_each_is_rejected_at_commit() throws Exception {
        String entry = Ids.next("je_");
        try (Connection con = transaction()) {
            insertEntry(con, entry);
            insertLines(con, entry, line(0, "assets:bank:main", 100, "EUR"), line(1, "income:sales", -100, "USD"));

            assertRefused(catchThrowableOfType(PSQLException.class, con::commit), CHECK_VIOLATION,
                    "journal_entries_balanced");
        }
        assertThat(count("select count(*) from journal_entries where id = ?", entry)).isZero();
    }

    @Test
    void an_entry_without_lines_is_rejected_at_commit() throws Exception {
        String entry = Ids.next("je_");
        try (Connection con = transaction()) {
            insertEntry(con, entry);

            PSQLException refused = catchThrowableOfType(PSQLException.class, con::commit);

            assertRefused(refused, CHECK_VIOLATION, "journal_entries_balanced");
            assertThat(refused.getMessage()).contains("has no lines");
        }
    }

    @Test
    void a_balanced_multi_currency_entry_written_in_two_statements_is_accepted() throws Exception {
        String entry = Ids.next("je_");
        try (Connection con = transaction()) {
            insertEntry(con, entry);
            insertLines(con, entry, line(0, "assets:bank:main", 10_000, "EUR"), line(1, "income:sales", -10_000, "EUR"),
                    line(2, "assets:bank:main", 7_000, "JPY"), line(3, "income:sales", -6_500, "JPY"),
                    line(4, "liabilities:vat_payable", -500, "JPY"));
            con.commit();
        }
        assertThat(count("select count(*) from journal_lines where entry_id = ?", entry)).isEqualTo(5);
        assertThat(journal.find(entry)).isPresent();
    }

    @Test
    void an_entry_reversing_no_entry_is_rejected_at_commit() throws Exception {
        String entry = Ids.next("je_");
        try (Connection con = transaction()) {
            update(con, """
                    insert into journal_entries (id, source_type, source_id, fingerprint, effective_at, description,
                                                 reverses)
                    values (?, 'test', ?, '\\x00', now(), 'written by SQL', 'je_nothing')""", entry, entry);
            insertLines(con, entry, line(0, "assets:bank:main", 100, "EUR"), line(1, "income:sales", -100, "EUR"));

            PSQLException refused = catchThrowableOfType(PSQLException.class, con::commit);

            assertThat(refused.getSQLState()).isEqualTo("23503");
            assertThat(refused.getServerErrorMessage().getConstraint()).isEqualTo("journal_entries_reverses_fkey");
        }
    }

    @Test
    void a_line_cannot_be_added_to_a_committed_entry() throws Exception {
        String entry = journal.post(PostingRules.capture(Ids.next(Ids.TRANSACTION), Ids.next(Ids.ORDER), "sandbox",
                Money.of(500, "EUR"), Instant.now())).id();

        try (Connection con = transaction()) {
            // numbered after the entry's own lines: refused by the line check
            assertRefused(catchThrowableOfType(PSQLException.class, () -> insertLines(con, entry,
                    line(2, "assets:bank:main", 1_000_000, "EUR"))), CHECK_VIOLATION, "journal_lines_written_with_entry");
            con.rollback();
            // numbered from 0, as the check wants: collides with the entry's own line 0
            assertRefused(catchThrowableOfType(PSQLException.class, () -> insertLines(con, entry,
                            line(0, "assets:bank:main", 1_000_000, "EUR"), line(1, "income:sales", -1, "EUR"))),
                    UNIQUE_VIOLATION, "journal_lines_pkey");
            con.rollback();
        }
        assertThat(count("select count(*) from journal_lines where entry_id = ?", entry)).isEqualTo(2);
    }

    @Test
    void a_line_cannot_be_added_after_the_entry_was_checked_early_in_its_own_transaction() throws Exception {
        String entry = Ids.next("je_");
        try (Connection con = transaction()) {
            insertEntry(con, entry);
            insertLines(con, entry, line(0, "assets:bank:main", 100, "EUR"), line(1, "income:sales", -100, "EUR"));
            execute(con, "set constraints journal_entries_balanced immediate"); // runs the check now

            assertRefused(catchThrowableOfType(PSQLException.class, () -> insertLines(con, entry,
                    line(2, "assets:bank:main", 5, "EUR"))), CHECK_VIOLATION, "journal_lines_written_with_entry");
            con.rollback();
        }
    }

    @Test
    void an_entry_checked_before_its_lines_are_written_is_refused_for_having_none() throws Exception {
        try (Connection con = transaction()) {
            execute(con, "set constraints journal_entries_balanced immediate");
            String entry = Ids.next("je_");

            PSQLException refused = catchThrowableOfType(PSQLException.class, () -> insertEntry(con, entry));

            assertRefused(refused, CHECK_VIOLATION, "journal_entries_balanced");
            assertThat(refused.getMessage()).contains("has no lines");
            con.rollback();
        }
    }

    // ---------------------------------------------------------------- refunds within captured

    @Test
    void a_refund_beyond_what_the_payment_captured_is_rejected() throws Exception {
        String payment = capturedPayment(1_000, 600);
        try (Connection con = autocommit()) {
            insertRefund(con, payment, 400, "succeeded");
            insertRefund(con, payment, 150, "pending");

            PSQLException refused = catchThrowableOfType(PSQLException.class,
                    () -> insertRefund(con, payment, 51, "unknown"));

            assertRefused(refused, CHECK_VIOLATION, "refunds_within_captured");
            assertThat(refused.getMessage()).contains("would come to 601 but only 600 is captured");
            insertRefund(con, payment, 50, "needs_review"); // exactly what is left
        }
        assertThat(count("select coalesce(sum(amount), 0) from refunds where payment_id = ?", payment)).isEqualTo(600);
    }

    @Test
    void a_failed_refund_holds_nothing_and_cannot_come_back_to_hold_more_than_was_captured() throws Exception {
        String payment = capturedPayment(1_000, 600);
        try (Connection con = autocommit()) {
            String failed = insertRefund(con, payment, 600, "failed");
            insertRefund(con, payment, 600, "succeeded");

            PSQLException refused = catchThrowableOfType(PSQLException.class, () -> update(con,
                    "update refunds set status = 'pending' where id = ?", failed));

            assertRefused(refused, CHECK_VIOLATION, "refunds_within_captured");
        }
    }

    @Test
    void a_refund_of_a_payment_with_nothing_captured_is_rejected() throws Exception {
        String payment = capturedPayment(1_000, 0);
        try (Connection con = autocommit()) {
            assertRefused(catchThrowableOfType(PSQLException.class, () -> insertRefund(con, payment, 1, "pending")),
                    CHECK_VIOLATION, "refunds_within_captured");
        }
    }

    @Test
    void two_concurrent_refunds_cannot_both_pass_under_read_committed() throws Exception {
        String payment = capturedPayment(1_000, 1_000);
        try (Connection first = transaction(); Connection second = transaction()) {
            insertRefund(first, payment, 700, "pending");
            Future<String> racing = OTHER.submit(() -> insertRefund(second, payment, 400, "pending"));
            assertThat(waitsForLock(racing)).as("the second refund waits for the first transaction").isTrue();

            first.commit();

            SQLException refused = unwrap(catchThrowableOfType(java.util.concurrent.ExecutionException.class,
                    () -> racing.get(10, TimeUnit.SECONDS)));
            assertRefused(refused, CHECK_VIOLATION, "refunds_within_captured");
            second.rollback();
        }
        assertThat(count("select coalesce(sum(amount), 0) from refunds where payment_id = ?", payment)).isEqualTo(700);
    }

    @Test
    void two_concurrent_refunds_cannot_both_pass_under_repeatable_read() throws Exception {
        String payment = capturedPayment(1_000, 1_000);
        try (Connection first = transaction(); Connection second = transaction()) {
            second.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            count(second, "select count(*) from refunds where payment_id = ?", payment); // takes its snapshot
            insertRefund(first, payment, 700, "pending");
            first.commit();

            PSQLException refused = catchThrowableOfType(PSQLException.class,
                    () -> insertRefund(second, payment, 400, "pending"));

            assertThat(refused.getSQLState()).isEqualTo(SERIALIZATION_FAILURE);
            second.rollback();
        }
        assertThat(count("select coalesce(sum(amount), 0) from refunds where payment_id = ?", payment)).isEqualTo(700);
    }

    // ---------------------------------------------------------------- known statuses only

    @Test
    void an_unknown_payment_status_is_rejected() throws Exception {
        String payment = capturedPayment(1_000, 0);
        try (Connection con = autocommit()) {
            assertRefused(catchThrowableOfType(PSQLException.class, () -> update(con,
                    "update payments set status = 'paid' where id = ?", payment)), CHECK_VIOLATION,
                    "payments_status_check");
            assertRefused(catchThrowableOfType(PSQLException.class, () -> update(con,
                    "update payments set status = 'CAPTURED' where id = ?", payment)), CHECK_VIOLATION,
                    "payments_status_check");
            update(con, "update payments set status = 'needs_review' where id = ?", payment);
        }
    }

    @Test
    void unknown_statuses_of_orders_refunds_and_outbox_events_are_rejected() throws Exception {
        String payment = capturedPayment(1_000, 1_000);
        String order = queryString("select order_id from payments where id = ?", payment);
        try (Connection con = autocommit()) {
            assertRefused(catchThrowableOfType(PSQLException.class, () -> update(con,
                    "update orders set status = 'shipped' where id = ?", order)), CHECK_VIOLATION, "orders_status_check");
            String refund = insertRefund(con, payment, 10, "pending");
            assertRefused(catchThrowableOfType(PSQLException.class, () -> update(con,
                    "update refunds set status = 'done' where id = ?", refund)), CHECK_VIOLATION, "refunds_status_check");
            assertRefused(catchThrowableOfType(PSQLException.class, () -> update(con, """
                            insert into outbox_events (id, type, order_id, object_id, payload, created_at)
                            values (?, 'order.shipped', null, 'x', '{}', now())""", Ids.next(Ids.EVENT))),
                    CHECK_VIOLATION, "outbox_events_type_check");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** An order with a payment of {@code amount} that captured {@code captured}, written by SQL. */
    private String capturedPayment(long amount, long captured) throws SQLException {
        String order = Ids.next(Ids.ORDER);
        String payment = Ids.next(Ids.PAYMENT);
        try (Connection con = autocommit()) {
            update(con, """
                    insert into orders (id, currency, amount_total, vat_total, status, created_at, updated_at)
                    values (?, 'EUR', %d, 0, 'open', now(), now())""".formatted(amount), order);
            update(con, """
                    insert into payments (id, order_id, provider, capture_method, status, amount, currency, created_at,
                                          updated_at)
                    values (?, ?, 'sandbox', 'manual', ?, %d, 'EUR', now(), now())""".formatted(amount),
                    payment, order, captured > 0 ? "captured" : "authorized");
            if (captured > 0) {
                update(con, """
                        insert into payment_transactions (id, payment_id, order_id, kind, amount_minor, currency,
                                                          provider_reference, occurred_at)
                        values (?, ?, ?, 'capture', %d, 'EUR', 'cap-1', now())""".formatted(captured),
                        Ids.next(Ids.TRANSACTION), payment, order);
            }
        }
        return payment;
    }

    private static String insertRefund(Connection con, String payment, long amount, String status) throws SQLException {
        String id = Ids.next(Ids.REFUND);
        update(con, """
                insert into refunds (id, payment_id, order_id, amount, currency, status, created_at, updated_at)
                select ?, p.id, p.order_id, %d, p.currency, ?, now(), now() from payments p where p.id = ?
                """.formatted(amount), id, status, payment);
        return id;
    }

    private static void insertEntry(Connection con, String entry) throws SQLException {
        update(con, """
                insert into journal_entries (id, source_type, source_id, fingerprint, effective_at, description)
                values (?, 'test', ?, '\\x00', now(), 'written by SQL')""", entry, entry);
    }

    private record Line(int no, String account, long amount, String currency) {
    }

    private static Line line(int no, String account, long amount, String currency) {
        return new Line(no, account, amount, currency);
    }

    /** All the lines in one statement, as the service writes them. */
    private static void insertLines(Connection con, String entry, Line... lines) throws SQLException {
        StringBuilder sql = new StringBuilder(
                "insert into journal_lines (entry_id, line_no, account_code, amount_minor, currency, effective_at) values ");
        for (int i = 0; i < lines.length; i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, now())");
        }
        try (PreparedStatement statement = con.prepareStatement(sql.toString())) {
            int p = 1;
            for (Line line : lines) {
                statement.setString(p++, entry);
                statement.setInt(p++, line.no());
                statement.setString(p++, line.account());
                statement.setLong(p++, line.amount());
                statement.setString(p++, line.currency());
            }
            statement.executeUpdate();
        }
    }

    private static void assertRefused(SQLException refused, String sqlState, String constraint) {
        assertThat((Throwable) refused).as("the database refuses it").isNotNull();
        assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo(sqlState);
        assertThat((Throwable) refused).isInstanceOf(PSQLException.class);
        assertThat(((PSQLException) refused).getServerErrorMessage().getConstraint()).isEqualTo(constraint);
    }

    private static SQLException unwrap(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        throw new AssertionError("no SQLException in " + thrown);
    }

    /** True when the task is still blocked after a moment (waiting for a row lock), false if it ended. */
    private static boolean waitsForLock(Future<?> task) throws Exception {
        try {
            task.get(1, TimeUnit.SECONDS);
            return false;
        } catch (TimeoutException stillWaiting) {
            return true;
        }
    }

    private Connection transaction() throws SQLException {
        Connection con = dataSource.getConnection();
        con.setAutoCommit(false);
        return con;
    }

    private Connection autocommit() throws SQLException {
        Connection con = dataSource.getConnection();
        con.setAutoCommit(true);
        return con;
    }

    private static void execute(Connection con, String sql) throws SQLException {
        try (Statement statement = con.createStatement()) {
            statement.execute(sql);
        }
    }

    private static int update(Connection con, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = con.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return statement.executeUpdate();
        }
    }

    private static long count(Connection con, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = con.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long count(String sql, Object... params) throws SQLException {
        try (Connection con = autocommit()) {
            return count(con, sql, params);
        }
    }

    private String queryString(String sql, Object... params) throws SQLException {
        try (Connection con = autocommit(); PreparedStatement statement = con.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
