package io.moneytrail.ledger.export;

import io.moneytrail.ledger.JournalEntry;
import java.io.IOException;

/**
 * Writes one export file as the entries stream by: the header first, then each entry in
 * (effective time, id) order, then the end. A writer keeps nothing of past entries.
 */
public interface EntryWriter {

    void begin(ExportHeader header) throws IOException;

    void entry(JournalEntry entry) throws IOException;

    /** After the last entry; flushes (never closes) the underlying stream. */
    void end(long entries, long lines) throws IOException;
}
