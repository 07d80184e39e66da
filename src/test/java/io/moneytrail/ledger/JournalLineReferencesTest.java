package io.moneytrail.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.database.DatabaseEndpoint;
import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import io.moneytrail.testing.ApiTest;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The database itself refuses a journal line without its entry or its account (one check per
 * statement, migration V4), and refuses what would make a referenced row go away.
 */
class JournalLineReferencesTest extends ApiTest {

    @Autowired
    Journal journal;

    @Autowired
    DatabaseEndpoint database;

    @Test
    void a_line_of_no_entry_is_refused() {
        assertThatThrownBy(() -> insertLine("je_" + "0".repeat(26), 0, "assets:bank:main"))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("does not exist");
    }

    @Test
    void a_line_on_no_account_is_refused_and_nothing_of_its_statement_is_written() {
        String entry = journal.post(PostingRules.capture(Ids.next(Ids.TRANSACTION), Ids.next(Ids.ORDER), "sandbox",
                Money.of(100, "EUR"), Instant.now())).id();

        assertThatThrownBy(() -> jdbc.sql("""
                        insert into journal_lines (entry_id, line_no, account_code, amount_minor, currency, effective_at)
                        values (:e, 7, 'assets:bank:main', 5, 'EUR', now()), (:e, 8, 'assets:bank:nowhere', -5, 'EUR', now())
                        """).param("e", entry).update())
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("assets:bank:nowhere");
        assertThat(jdbc.sql("select count(*) from journal_lines where entry_id = :e").param("e", entry)
                .query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void referenced_rows_cannot_go_away() {
        assertThatThrownBy(() -> jdbc.sql("update ledger_accounts set code = 'assets:bank:renamed' where code = 'assets:bank:main'")
                .update()).isInstanceOf(UncategorizedSQLException.class).hasMessageContaining("immutable");
        assertThat(jdbc.sql("update ledger_accounts set name = name where code = 'assets:bank:main'").update())
                .isEqualTo(1);
        DatabaseEndpoint owner = database.owner();
        JdbcClient asOwner = JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), owner.jdbcUrl(),
                owner.username(), owner.password()));
        for (String table : new String[] {"journal_lines", "journal_entries", "ledger_accounts"}) {
            // the service's role has no TRUNCATE at all; the owner's is stopped by the trigger
            assertThatThrownBy(() -> jdbc.sql("truncate " + table + " cascade").update())
                    .rootCause().hasMessageContaining("permission denied");
            assertThatThrownBy(() -> asOwner.sql("truncate " + table + " cascade").update())
                    .hasMessageContaining("immutable");
        }
    }

    private void insertLine(String entryId, int lineNo, String account) {
        jdbc.sql("""
                insert into journal_lines (entry_id, line_no, account_code, amount_minor, currency, effective_at)
                values (:e, :n, :a, 1, 'EUR', now())
                """).param("e", entryId).param("n", lineNo).param("a", account).update();
    }
}
