package io.moneytrail.reconrun;

import java.nio.file.Path;
import java.time.Instant;

/**
 * An imported provider report or bank statement, kept as uploaded in
 * {@code <data dir>/reconciliation/files/<id>}.
 *
 * @param kind {@code provider} or {@code bank}
 * @param format the wire name: stripe, yookassa, sandbox, camt053, mt940, 1c
 * @param problemsJson the row problems the importer reported (a JSON array)
 */
public record ReconFile(String id, String kind, String format, String name, String sha256, long bytes, long rows,
                        long rowsRejected, String problemsJson, Instant uploadedAt, Path path) {
}
