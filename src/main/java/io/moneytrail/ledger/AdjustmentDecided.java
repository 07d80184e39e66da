package io.moneytrail.ledger;

import io.moneytrail.access.Actor;

/**
 * A proposal under the four-eyes rule was decided ({@link AdjustmentProposals#approve} or
 * {@link AdjustmentProposals#reject}). Published synchronously in the deciding transaction, so
 * what a listener changes (a reconciliation exception resolved by the approved adjustment)
 * commits with the decision or not at all.
 *
 * @param journalEntryId the posted entry when approved, else null
 * @param reason         the proposal's reason when approved, the rejection's when rejected
 */
public record AdjustmentDecided(String proposalId, String reference, boolean approved, String journalEntryId,
                                Actor decidedBy, String reason) {
}
