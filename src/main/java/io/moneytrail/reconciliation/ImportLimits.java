package io.moneytrail.reconciliation;

/**
 * Bounds on what an importer reads; a file past one is refused with a clear error instead of
 * exhausting the machine.
 *
 * @param fileBytesMax largest file accepted (default 1 GiB: a month of 1,000,000 Stripe rows is ~250 MB)
 * @param lineCharsMax longest line (CSV record line, MT940 or 1C line) or XML text node
 * @param rowsMax most rows (orders, report rows, statement entries) in one file
 * @param problemsKeptMax row problems kept with their details per file; past it they are only counted
 */
public record ImportLimits(long fileBytesMax, int lineCharsMax, long rowsMax, int problemsKeptMax) {

    public static final ImportLimits DEFAULTS = new ImportLimits(1L << 30, 65_536, 5_000_000, 1_000);

    public ImportLimits {
        if (fileBytesMax < 1 || lineCharsMax < 80 || rowsMax < 1 || problemsKeptMax < 0) {
            throw new IllegalArgumentException("import limits must be positive (line at least 80 characters)");
        }
    }
}
