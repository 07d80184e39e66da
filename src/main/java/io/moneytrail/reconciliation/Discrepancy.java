package io.moneytrail.reconciliation;

/**
 * One difference found, with the evidence on both sides. Ids that do not apply are null.
 * {@code oursMinor} is what our side says (order total, recorded refunds, payout amount),
 * {@code theirsMinor} what the other side says (the provider's charge, the bank entry),
 * both in minor units of {@code currency} (for a currency mismatch: of each side's own
 * currency, {@code theirsCurrency} naming the other).
 *
 * @param rule how the two sides were paired (a {@link MatchRule} wire name), or
 *             {@code unmatched} when nothing paired them
 */
public record Discrepancy(DiscrepancyClass kind, String orderId, String providerPaymentId, String providerChargeId,
                          String providerRefundId, String payoutId, String bankRef, String currency,
                          Long oursMinor, Long theirsMinor, String theirsCurrency, String rule, String explanation,
                          String source) {

    /** Difference theirs - ours when both are known and in one currency, else null. */
    public Long differenceMinor() {
        if (oursMinor == null || theirsMinor == null || theirsCurrency != null && !theirsCurrency.equals(currency)) {
            return null;
        }
        return Math.subtractExact(theirsMinor, oursMinor);
    }

    public static Builder of(DiscrepancyClass kind) {
        return new Builder(kind);
    }

    /** Builds a discrepancy field by field: there are many optional ids. */
    public static final class Builder {
        private final DiscrepancyClass kind;
        private String orderId;
        private String providerPaymentId;
        private String providerChargeId;
        private String providerRefundId;
        private String payoutId;
        private String bankRef;
        private String currency;
        private Long oursMinor;
        private Long theirsMinor;
        private String theirsCurrency;
        private String rule = "unmatched";
        private String explanation = "";
        private String source = "";

        private Builder(DiscrepancyClass kind) {
            this.kind = kind;
        }

        public Builder order(String id) {
            this.orderId = id;
            return this;
        }

        public Builder payment(String id) {
            this.providerPaymentId = id;
            return this;
        }

        public Builder charge(String id) {
            this.providerChargeId = id;
            return this;
        }

        public Builder refund(String id) {
            this.providerRefundId = id;
            return this;
        }

        public Builder payout(String id) {
            this.payoutId = id;
            return this;
        }

        public Builder bank(String ref) {
            this.bankRef = ref;
            return this;
        }

        public Builder currency(String code) {
            this.currency = code;
            return this;
        }

        public Builder ours(long minor) {
            this.oursMinor = minor;
            return this;
        }

        public Builder theirs(long minor) {
            this.theirsMinor = minor;
            return this;
        }

        public Builder theirsCurrency(String code) {
            this.theirsCurrency = code;
            return this;
        }

        public Builder rule(MatchRule matchRule) {
            this.rule = matchRule.wireName();
            return this;
        }

        public Builder explanation(String text) {
            this.explanation = text;
            return this;
        }

        public Builder source(String where) {
            this.source = where;
            return this;
        }

        public Discrepancy build() {
            return new Discrepancy(kind, orderId, providerPaymentId, providerChargeId, providerRefundId, payoutId,
                    bankRef, currency, oursMinor, theirsMinor, theirsCurrency, rule, explanation, source);
        }
    }
}
