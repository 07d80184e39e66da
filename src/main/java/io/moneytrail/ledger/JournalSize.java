package io.moneytrail.ledger;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** How many entries and lines the journal holds (benchmarks and checks count what they posted). */
@Component
public class JournalSize {

    /** The journal's size. */
    public record Size(long entries, long lines) {
    }

    private final JdbcClient jdbc;

    JournalSize(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Counts both tables (a full count: for benchmarks and checks, not for request paths). */
    public Size count() {
        return jdbc.sql("select (select count(*) from journal_entries), (select count(*) from journal_lines)")
                .query((rs, row) -> new Size(rs.getLong(1), rs.getLong(2))).single();
    }
}
