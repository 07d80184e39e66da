package io.moneytrail.reconrun;

import io.moneytrail.ledger.AdjustmentDecided;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Resolves a reconciliation exception when the linked adjustment its resolution waits for is
 * approved under the four-eyes rule (or clears the pending resolution when it is rejected), in
 * the transaction that decides the proposal.
 */
@Component
class ExceptionResolutionApprovals {

    private final ReconExceptions exceptions;

    ExceptionResolutionApprovals(ReconExceptions exceptions) {
        this.exceptions = exceptions;
    }

    @EventListener
    void on(AdjustmentDecided decided) {
        if (decided.reference().startsWith(ReconExceptions.ADJUSTMENT_REFERENCE)) {
            exceptions.resolutionDecided(decided);
        }
    }
}
