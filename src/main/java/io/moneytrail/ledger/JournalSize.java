package io.moneytrail.ledger;

/** How many entries and lines the journal holds (benchmarks and checks count what they posted). */
public interface JournalSize {

    /** The journal's size. */
    record Size(long entries, long lines) {
    }

    /** Counts both tables (a full count: for benchmarks and checks, not for request paths). */
    Size count();
}
