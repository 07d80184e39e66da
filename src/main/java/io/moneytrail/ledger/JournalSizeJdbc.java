package io.moneytrail.ledger;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The SQL behind {@link JournalSize}. */
@Component
class JournalSizeJdbc implements JournalSize {

    private final JdbcClient jdbc;

    JournalSizeJdbc(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Counts both tables (a full count: for benchmarks and checks, not for request paths). */
    @Override
    public Size count() {
        return jdbc.sql("select (select count(*) from journal_entries), (select count(*) from journal_lines)")
                .query((rs, row) -> new Size(rs.getLong(1), rs.getLong(2))).single();
    }
}
