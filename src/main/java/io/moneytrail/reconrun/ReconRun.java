package io.moneytrail.reconrun;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A recorded reconciliation run over a period (both dates inclusive, UTC).
 *
 * @param inputsJson the files used (id, kind, format, name, sha256)
 * @param countsJson matched, unmatched, by class, amounts per leg and currency, and the engine's named counts
 * @param matchedRate share of our orders in scope matched with no discrepancy, 0..1 (null while running)
 */
public record ReconRun(String id, LocalDate periodFrom, LocalDate periodTo, String trigger, String inputsJson,
                       String countsJson, Double matchedRate, String status, String error, Instant startedAt,
                       Instant finishedAt) {
}
