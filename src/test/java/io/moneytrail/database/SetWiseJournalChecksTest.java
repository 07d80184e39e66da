package io.moneytrail.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.moneytrail.ledger.BulkJournal;
import io.moneytrail.ledger.Journal;
import io.moneytrail.ledger.JournalEntry;
import io.moneytrail.ledger.NewEntry;
import io.moneytrail.ledger.PostingRules;
import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import io.moneytrail.testing.ApiTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The journal's money rules checked set-wise (migration V16): correct work leaves nothing to
 * check at commit, and what is left to check cannot be dodged by deleting it.
 */
class SetWiseJournalChecksTest extends ApiTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    Journal journal;

    @Autowired
    BulkJournal bulk;

    @Test
    void entries_written_with_their_lines_leave_no_check_pending() throws Exception {
        List<NewEntry> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(PostingRules.capture(Ids.next(Ids.TRANSACTION), Ids.next(Ids.ORDER), "sandbox",
                    Money.of(100 + i, "EUR"), Instant.now()));
        }
        assertThat(bulk.post(batch).posted()).isEqualTo(50);
        JournalEntry single = journal.post(PostingRules.capture(Ids.next(Ids.TRANSACTION), Ids.next(Ids.ORDER),
                "sandbox", Money.of(700, "EUR"), Instant.now()));
        assertThat(single.lines()).hasSize(2);
        assertThat(journal.find(single.id())).contains(single);
        try (Connection con = dataSource.getConnection()) {
            assertThat(pending(con)).isZero();
        }
    }

    @Test
    void deleting_the_pending_check_does_not_let_an_unbalanced_entry_commit() throws Exception {
        String entry = Ids.next("je_");
        try (Connection con = dataSource.getConnection()) {
            con.setAutoCommit(false);
            update(con, """
                    insert into journal_entries (id, source_type, source_id, fingerprint, effective_at, description)
                    values (?, 'test', ?, '\\x00', now(), 'written by SQL')""", entry, entry);
            update(con, """
                    insert into journal_lines (entry_id, line_no, account_code, amount_minor, currency, effective_at)
                    values (?, 0, 'assets:bank:main', 100, 'EUR', now()), (?, 1, 'income:sales', -90, 'EUR', now())""",
                    entry, entry);
            update(con, "delete from journal_pending_checks where entry_id = ?", entry);

            PSQLException refused = catchThrowableOfType(PSQLException.class, con::commit);

            assertThat((Throwable) refused).isNotNull();
            assertThat(refused.getSQLState()).isEqualTo("23514");
            assertThat(refused.getServerErrorMessage().getConstraint()).isEqualTo("journal_entries_balanced");
            assertThat(refused.getMessage()).contains("does not balance in EUR");
        }
        try (Connection con = dataSource.getConnection()) {
            try (PreparedStatement statement = con.prepareStatement(
                    "select count(*) from journal_entries where id = ?")) {
                statement.setString(1, entry);
                try (var rs = statement.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).isZero();
                }
            }
        }
    }

    @Test
    void an_entry_whose_lines_come_in_a_later_statement_is_checked_and_its_pending_row_removed() throws Exception {
        String entry = Ids.next("je_");
        try (Connection con = dataSource.getConnection()) {
            con.setAutoCommit(false);
            update(con, """
                    insert into journal_entries (id, source_type, source_id, fingerprint, effective_at, description)
                    values (?, 'test', ?, '\\x00', now(), 'written by SQL')""", entry, entry);
            assertThat(pending(con)).isEqualTo(1);
            update(con, """
                    insert into journal_lines (entry_id, line_no, account_code, amount_minor, currency, effective_at)
                    values (?, 0, 'assets:bank:main', 100, 'EUR', now()), (?, 1, 'income:sales', -100, 'EUR', now())""",
                    entry, entry);
            con.commit();
            assertThat(pending(con)).isZero();
        }
    }

    private static long pending(Connection con) throws SQLException {
        try (PreparedStatement statement = con.prepareStatement("select count(*) from journal_pending_checks");
             var rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void update(Connection con, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = con.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            statement.executeUpdate();
        }
    }
}
