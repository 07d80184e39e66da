package io.moneytrail.reconciliation.importer;

/** A row that cannot be read; caught per row, reported with file and line, and the file goes on. */
final class RowProblem extends RuntimeException {

    RowProblem(String reason) {
        super(reason, null, false, false); // no stack trace: these are expected, possibly many
    }
}
