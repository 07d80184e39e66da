package io.moneytrail.reconciliation;

/** Told of every pairing the engine makes and the rule that made it (audit mode writes matches.csv). */
@FunctionalInterface
public interface MatchSink {

    MatchSink NONE = (leg, rule, ours, theirs) -> { };

    /**
     * @param ours our side's id (order id, payout id)
     * @param theirs the other side's id (provider row id, bank entry reference)
     */
    void matched(Leg leg, MatchRule rule, String ours, String theirs);
}
