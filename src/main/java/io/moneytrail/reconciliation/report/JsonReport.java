package io.moneytrail.reconciliation.report;

import io.moneytrail.reconciliation.AuditOutcome;
import io.moneytrail.reconciliation.Discrepancy;
import io.moneytrail.reconciliation.DiscrepancyClass;
import io.moneytrail.reconciliation.ImportProblem;
import io.moneytrail.reconciliation.ImportSummary;
import io.moneytrail.reconciliation.ReconciliationResult;
import io.moneytrail.reconciliation.Tolerances;
import java.io.OutputStream;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * report.json, streamed: inputs, settings, summary (counts, matched share, discrepancies by
 * class), totals per leg and currency, the row problems, and the {@code discrepancies} array
 * (class, severity, leg, the ids on both sides, amounts in minor units and as decimals, rule,
 * explanation, source line).
 */
final class JsonReport {

    private JsonReport() {
    }

    static void write(AuditOutcome outcome, OutputStream out) {
        ReconciliationResult result = outcome.result();
        AuditReports.Amounts amounts = new AuditReports.Amounts();
        try (JsonGenerator json = JsonMapper.builder().build().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringProperty("object", "audit_report");
            json.writeStringProperty("provider_format", outcome.providerFormat().wireName());
            json.writeStringProperty("bank_format", outcome.bankFormat() == null ? null : outcome.bankFormat().wireName());
            json.writeArrayPropertyStart("inputs");
            for (ImportSummary input : outcome.imports()) {
                json.writeStartObject();
                json.writeStringProperty("file", input.file());
                json.writeStringProperty("format", input.format());
                json.writeNumberProperty("bytes", input.bytes());
                json.writeNumberProperty("rows_accepted", input.rowsAccepted());
                json.writeNumberProperty("rows_rejected", input.rowsRejected());
                if (input.statementPeriod() != null) { // bankrecon: the period the statement declares covering
                    json.writeObjectPropertyStart("statement_period");
                    json.writeStringProperty("from", input.statementPeriod().from() == null ? null
                            : input.statementPeriod().from().toString());
                    json.writeStringProperty("to", input.statementPeriod().to().toString());
                    json.writeStringProperty("source", input.statementPeriod().source());
                    json.writeEndObject();
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            Tolerances t = outcome.request().tolerances();
            json.writeObjectPropertyStart("settings");
            json.writeNumberProperty("date_window_days", t.dateWindowDays());
            json.writeNumberProperty("amount_tolerance_minor", t.amountToleranceMinor());
            json.writeNumberProperty("payout_arrival_days_max", t.payoutArrivalDaysMax());
            json.writeNumberProperty("fee_tolerance_minor", t.feeToleranceMinor());
            json.writeNumberProperty("batch_payouts_max", t.batchPayoutsMax());
            json.writeStringProperty("fee_tariff", outcome.request().feeTariff() == null ? null
                    : outcome.request().feeTariff().toString());
            json.writeStringProperty("order_metadata_key", outcome.request().orderMetadataKey());
            json.writeEndObject();
            json.writeObjectPropertyStart("summary");
            json.writeNumberProperty("seconds", Math.round(outcome.seconds() * 1000) / 1000.0);
            json.writeNumberProperty("matched_share", Math.round(result.matchedShare() * 1_000_000) / 1_000_000.0);
            json.writeNumberProperty("discrepancies_total", result.discrepanciesTotal());
            json.writeNumberProperty("problems_total", outcome.problemsTotal());
            for (Map.Entry<String, Long> count : result.counts().entrySet()) {
                json.writeNumberProperty(count.getKey(), count.getValue());
            }
            json.writeObjectPropertyStart("discrepancies_by_class");
            for (DiscrepancyClass kind : DiscrepancyClass.values()) {
                if (!kind.fileAudit()) {
                    continue; // receipt classes: database runs only
                }
                json.writeNumberProperty(kind.wireName(), result.countsByClass().getOrDefault(kind, 0L));
            }
            json.writeEndObject();
            json.writeEndObject();
            json.writeObjectPropertyStart("totals");
            for (Map.Entry<String, Map<String, Map<String, Long>>> leg : result.totals().entrySet()) {
                json.writeObjectPropertyStart(leg.getKey());
                for (Map.Entry<String, Map<String, Long>> currency : leg.getValue().entrySet()) {
                    json.writeObjectPropertyStart(currency.getKey());
                    for (Map.Entry<String, Long> total : currency.getValue().entrySet()) {
                        json.writeStringProperty(total.getKey(), amounts.major(total.getValue(), currency.getKey()));
                    }
                    json.writeEndObject();
                }
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeArrayPropertyStart("problems");
            for (ImportProblem problem : outcome.problemsKept()) {
                json.writeStartObject();
                json.writeStringProperty("file", problem.file());
                json.writeNumberProperty("line", problem.line());
                json.writeStringProperty("reason", problem.reason());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayPropertyStart("discrepancies");
            for (Discrepancy d : result.discrepancies()) {
                json.writeStartObject();
                json.writeStringProperty("class", d.kind().wireName());
                json.writeStringProperty("severity", d.kind().severity().wireName());
                json.writeStringProperty("leg", d.kind().leg().wireName());
                json.writeStringProperty("order_id", d.orderId());
                json.writeStringProperty("provider_payment_id", d.providerPaymentId());
                json.writeStringProperty("provider_charge_id", d.providerChargeId());
                json.writeStringProperty("provider_refund_id", d.providerRefundId());
                json.writeStringProperty("payout_id", d.payoutId());
                json.writeStringProperty("bank_ref", d.bankRef());
                json.writeStringProperty("currency", d.currency());
                String theirsCurrency = d.theirsCurrency() != null ? d.theirsCurrency() : d.currency();
                minor(json, "ours_minor", d.oursMinor());
                minor(json, "theirs_minor", d.theirsMinor());
                minor(json, "difference_minor", d.differenceMinor());
                json.writeStringProperty("ours", amounts.major(d.oursMinor(), d.currency()));
                json.writeStringProperty("theirs", amounts.major(d.theirsMinor(), theirsCurrency));
                json.writeStringProperty("theirs_currency", theirsCurrency);
                json.writeStringProperty("rule", d.rule());
                json.writeStringProperty("explanation", d.explanation());
                json.writeStringProperty("source", d.source());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private static void minor(JsonGenerator json, String name, Long value) {
        if (value == null) {
            json.writeNullProperty(name);
        } else {
            json.writeNumberProperty(name, value.longValue());
        }
    }
}
