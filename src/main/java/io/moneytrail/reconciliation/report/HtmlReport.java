package io.moneytrail.reconciliation.report;

import io.moneytrail.reconciliation.AuditOutcome;
import io.moneytrail.reconciliation.Discrepancy;
import io.moneytrail.reconciliation.DiscrepancyClass;
import io.moneytrail.reconciliation.ImportProblem;
import io.moneytrail.reconciliation.ImportSummary;
import io.moneytrail.reconciliation.ReconciliationResult;
import io.moneytrail.reconciliation.Tolerances;
import java.io.IOException;
import java.io.Writer;
import java.util.Locale;
import java.util.Map;

/**
 * report.html: one self-contained page (inline style, no scripts, every value escaped) for a
 * person: what was read, the verdict, totals per leg, each discrepancy with its evidence.
 */
final class HtmlReport {

    /** Discrepancy rows shown in the page; all are in discrepancies.csv and report.json. */
    static final int ROWS_MAX = 2_000;
    static final int PROBLEMS_MAX = 200;

    private static final String STYLE = "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;"
            + "padding:0 1em;color:#1d1d1f}h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}"
            + "table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #ddd;padding:4px 6px;"
            + "text-align:left;vertical-align:top}th{background:#f5f5f7}td.n{text-align:right;font-variant-numeric:"
            + "tabular-nums;white-space:nowrap}code{font-size:12px}.critical{color:#b00020;font-weight:600}"
            + ".high{color:#c25700;font-weight:600}.medium{color:#8a6d00}.low{color:#555}.ok{color:#0a7d32;"
            + "font-weight:600}.verdict{font-size:1.2em;padding:.6em 1em;background:#f5f5f7;border-radius:6px}";

    private HtmlReport() {
    }

    static void write(AuditOutcome outcome, Writer out) throws IOException {
        ReconciliationResult result = outcome.result();
        AuditReports.Amounts amounts = new AuditReports.Amounts();
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Moneytrail audit</title><style>")
                .append(STYLE).append("</style></head><body>\n<h1>Moneytrail audit</h1>\n");
        long total = result.discrepanciesTotal();
        h.append("<p class=\"verdict\">");
        if (total == 0) {
            h.append("<span class=\"ok\">No discrepancies.</span> ");
        } else {
            h.append("<strong>").append(total).append(" discrepanc").append(total == 1 ? "y" : "ies").append("</strong> found. ");
        }
        h.append(String.format(Locale.ROOT, "%.2f%%", result.matchedShare() * 100))
                .append(" of the orders in scope matched the provider with no discrepancy");
        if (outcome.problemsTotal() > 0) {
            h.append("; ").append(outcome.problemsTotal()).append(" row problem").append(outcome.problemsTotal() == 1 ? "" : "s");
        }
        h.append(".</p>\n");

        h.append("<h2>Inputs</h2>\n<table><tr><th>file</th><th>format</th><th>bytes</th><th>rows read</th><th>rows rejected</th><th>period covered</th></tr>\n");
        for (ImportSummary input : outcome.imports()) {
            h.append("<tr><td><code>").append(esc(input.file())).append("</code></td><td>").append(esc(input.format()))
                    .append("</td><td class=\"n\">").append(input.bytes()).append("</td><td class=\"n\">")
                    .append(input.rowsAccepted()).append("</td><td class=\"n\">").append(input.rowsRejected())
                    .append("</td><td>").append(input.statementPeriod() == null ? "" : esc(input.statementPeriod().toString()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>Summary</h2>\n<table><tr><th>class</th><th>severity</th><th>leg</th><th>found</th><th>meaning</th></tr>\n");
        for (DiscrepancyClass kind : DiscrepancyClass.values()) {
            if (!kind.fileAudit()) {
                continue; // receipt classes: database runs only
            }
            long n = result.countsByClass().getOrDefault(kind, 0L);
            h.append("<tr><td><code>").append(kind.wireName()).append("</code></td><td class=\"")
                    .append(kind.severity().wireName()).append("\">").append(kind.severity().wireName())
                    .append("</td><td>").append(kind.leg().wireName()).append("</td><td class=\"n\">")
                    .append(n == 0 ? "0" : "<strong>" + n + "</strong>").append("</td><td>").append(esc(kind.meaning()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n<table><tr><th>count</th><th>value</th></tr>\n");
        for (Map.Entry<String, Long> count : result.counts().entrySet()) {
            h.append("<tr><td>").append(esc(count.getKey().replace('_', ' '))).append("</td><td class=\"n\">")
                    .append(count.getValue()).append("</td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>Totals per leg</h2>\n");
        for (Map.Entry<String, Map<String, Map<String, Long>>> leg : result.totals().entrySet()) {
            h.append("<h3>").append(esc(leg.getKey())).append("</h3>\n<table><tr><th>currency</th><th>total</th><th>amount</th></tr>\n");
            for (Map.Entry<String, Map<String, Long>> currency : leg.getValue().entrySet()) {
                for (Map.Entry<String, Long> t : currency.getValue().entrySet()) {
                    h.append("<tr><td>").append(esc(currency.getKey())).append("</td><td>").append(esc(t.getKey().replace('_', ' ')))
                            .append("</td><td class=\"n\">").append(amounts.major(t.getValue(), currency.getKey()))
                            .append("</td></tr>\n");
                }
            }
            h.append("</table>\n");
        }
        out.write(h.toString());
        h.setLength(0);

        h.append("<h2>Discrepancies</h2>\n");
        if (total > ROWS_MAX) {
            h.append("<p>The first ").append(ROWS_MAX).append(" of ").append(total)
                    .append(", most severe first; all of them are in <code>discrepancies.csv</code> and <code>report.json</code>.</p>\n");
        }
        if (total > 0) {
            h.append("<table><tr><th>class</th><th>order</th><th>provider ids</th><th>payout / bank</th><th>ours</th>"
                    + "<th>theirs</th><th>rule</th><th>explanation</th><th>source</th></tr>\n");
        }
        int shown = 0;
        for (Discrepancy d : result.discrepancies()) {
            if (shown++ == ROWS_MAX) {
                break;
            }
            String theirsCurrency = d.theirsCurrency() != null ? d.theirsCurrency() : d.currency();
            h.append("<tr><td class=\"").append(d.kind().severity().wireName()).append("\">")
                    .append(d.kind().wireName()).append("</td><td><code>").append(esc(d.orderId())).append("</code></td><td>");
            ids(h, "payment", d.providerPaymentId());
            ids(h, "charge", d.providerChargeId());
            ids(h, "refund", d.providerRefundId());
            h.append("</td><td>");
            ids(h, "payout", d.payoutId());
            ids(h, "bank", d.bankRef());
            h.append("</td><td class=\"n\">").append(money(amounts.major(d.oursMinor(), d.currency()), d.currency()))
                    .append("</td><td class=\"n\">").append(money(amounts.major(d.theirsMinor(), theirsCurrency), theirsCurrency))
                    .append("</td><td><code>").append(esc(d.rule())).append("</code></td><td>").append(esc(d.explanation()))
                    .append("</td><td>").append(esc(d.source())).append("</td></tr>\n");
            if (h.length() > 1 << 20) {
                out.write(h.toString());
                h.setLength(0);
            }
        }
        if (total > 0) {
            h.append("</table>\n");
        }

        if (outcome.problemsTotal() > 0) {
            h.append("<h2>Row problems</h2>\n<p>Rows that could not be read were left out of matching.</p>\n"
                    + "<table><tr><th>file</th><th>line</th><th>reason</th></tr>\n");
            int n = 0;
            for (ImportProblem problem : outcome.problemsKept()) {
                if (n++ == PROBLEMS_MAX) {
                    break;
                }
                h.append("<tr><td><code>").append(esc(problem.file())).append("</code></td><td class=\"n\">")
                        .append(problem.line()).append("</td><td>").append(esc(problem.reason())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }

        Tolerances t = outcome.request().tolerances();
        h.append("<h2>Settings</h2>\n<ul><li>date window: ").append(t.dateWindowDays()).append(" days</li><li>amount tolerance: ")
                .append(t.amountToleranceMinor()).append(" minor units</li><li>payout arrival: at most ")
                .append(t.payoutArrivalDaysMax()).append(" days</li><li>batched payouts: at most ").append(t.batchPayoutsMax())
                .append(" per bank entry</li><li>fee tariff: ")
                .append(outcome.request().feeTariff() == null ? "not checked" : esc(outcome.request().feeTariff().toString()))
                .append(" (tolerance ").append(t.feeToleranceMinor()).append(" minor units)</li><li>order metadata key: <code>")
                .append(esc(outcome.request().orderMetadataKey())).append("</code></li></ul>\n");
        h.append("<p>Matching rules, classes and limits: docs/reconciliation.md.</p>\n</body></html>\n");
        out.write(h.toString());
    }

    private static void ids(StringBuilder h, String label, String id) {
        if (id != null) {
            h.append(label).append(" <code>").append(esc(id)).append("</code><br>");
        }
    }

    private static String money(String amount, String currency) {
        return amount == null ? "" : esc(amount) + " " + esc(currency);
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '&': out.append("&amp;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&#39;"); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }
}
