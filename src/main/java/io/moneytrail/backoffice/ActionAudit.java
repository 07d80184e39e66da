package io.moneytrail.backoffice;

import io.moneytrail.access.AuditTrail;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The audit row of an action confirmed on the order page ({@code backoffice.refund}, …): who,
 * on which order, why (the form's reason), with the one-time key and what came of it. The
 * service that made the change writes its own row too ({@code refund.create}); this one keeps
 * the person's stated reason and the confirmation they saw.
 */
@Component
class ActionAudit {

    private final AuditTrail trail;

    ActionAudit(AuditTrail trail) {
        this.trail = trail;
    }

    @Transactional
    public void record(OrderAction action, String orderId, AuditTrail.Outcome outcome, String reason,
                       Map<String, ?> details) {
        trail.record("backoffice." + action.wire(), "order", orderId, outcome, reason, details);
    }

    /** An access change made on the settings page that its service does not record itself (API keys). */
    @Transactional
    public void recordAccess(String action, String objectType, String objectId) {
        trail.record(action, objectType, objectId);
    }

    /** A back-office action on another module's object that its service does not record itself (a reconciliation run). */
    @Transactional
    public void recordPage(String action, String objectType, String objectId, Map<String, ?> details) {
        trail.record(action, objectType, objectId, AuditTrail.Outcome.SUCCEEDED, null, details);
    }
}
