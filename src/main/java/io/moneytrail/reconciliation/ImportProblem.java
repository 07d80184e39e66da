package io.moneytrail.reconciliation;

/** A row that could not be read: the file, the line where the row starts, and why. */
public record ImportProblem(String file, long line, String reason) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}
