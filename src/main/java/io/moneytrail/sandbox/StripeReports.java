package io.moneytrail.sandbox;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The Stripe dialect's "Balance change from activity" itemized report
 * ({@code balance_change_from_activity.itemized.1|2|3}): one row per balance transaction of the
 * interval, amounts as decimals in major units, times in UTC ({@code yyyy-MM-dd HH:mm:ss}).
 * Payouts are not activity and have no rows (Stripe lists them in the balance report's payouts
 * section); each row names the automatic payout that pays it out ({@code po_YYYYMMDD_ccy}: the
 * next UTC day, when the funds become available). The sandbox charges no fee. A partial capture
 * is, as Stripe documents it, a charge of the whole authorisation and a
 * {@code partial_capture_reversal} of the uncaptured part.
 */
@Component
@ConditionalOnSandbox
class StripeReports {

    /** Stripe's default columns, in Stripe's order. */
    static final List<String> DEFAULT_COLUMNS = List.of("balance_transaction_id", "created_utc", "created",
            "available_on_utc", "available_on", "currency", "gross", "fee", "net", "reporting_category", "source_id",
            "description", "customer_facing_amount", "customer_facing_currency");
    /** Every column the dialect can write: the defaults, then the optional ones it knows. */
    static final List<String> COLUMNS = List.of("balance_transaction_id", "created_utc", "created",
            "available_on_utc", "available_on", "currency", "gross", "fee", "net", "reporting_category", "source_id",
            "description", "customer_facing_amount", "customer_facing_currency", "automatic_payout_id", "charge_id",
            "payment_intent_id", "payment_method_type", "card_brand", "payment_metadata[order_id]",
            "payment_metadata[payment_id]");
    static final Set<String> REPORT_TYPES = Set.of("balance_change_from_activity.itemized.1",
            "balance_change_from_activity.itemized.2", "balance_change_from_activity.itemized.3");
    /** Bounds: at most 100,000 balance transactions and 92 days per report. */
    static final int ROWS_MAX = 100_000;
    static final long INTERVAL_SECONDS_MAX = 92L * 86_400;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final SandboxStore store;

    StripeReports(SandboxStore store) {
        this.store = store;
    }

    /** One balance transaction, signed as its effect on the balance, in Stripe's integer units. */
    record Row(String category, String sourceId, String paymentId, long amount, String currency, Instant at,
               StripeData data) {
    }

    /** The CSV of [from, to) with {@code columns} (each one of {@link #COLUMNS}). */
    byte[] csv(Instant from, Instant to, List<String> columns) {
        StringBuilder csv = new StringBuilder(String.join(",", columns.stream().map(StripeReports::quote).toList()))
                .append('\n');
        for (Row row : rows(from, to)) {
            List<String> cells = new ArrayList<>(columns.size());
            for (String column : columns) {
                cells.add(quote(cell(row, column)));
            }
            csv.append(String.join(",", cells)).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    List<Row> rows(Instant from, Instant to) {
        List<Row> rows = new ArrayList<>();
        List<Map<String, Object>> moved = store.jdbc().sql("""
                select * from (
                  select 'charge' as category, c.id as source_id, p.id as payment_id, c.amount as amount,
                         p.amount_authorized as authorized, p.currency, c.created_at as at, p.dialect_data
                    from sbx_captures c join sbx_payments p on p.id = c.payment_id
                   where p.dialect = 'stripe' and c.created_at >= :from and c.created_at < :to
                  union all
                  select 'refund', r.id, p.id, -r.amount, 0, p.currency, r.created_at, p.dialect_data
                    from sbx_refunds r join sbx_payments p on p.id = r.payment_id
                   where p.dialect = 'stripe' and r.status = 'succeeded' and r.created_at >= :from
                     and r.created_at < :to
                  union all
                  select 'dispute', d.id, p.id, -d.amount, 0, p.currency, d.funds_withdrawn_at, p.dialect_data
                    from sbx_stripe_disputes d join sbx_payments p on p.id = d.payment_id
                   where d.funds_withdrawn_at >= :from and d.funds_withdrawn_at < :to
                  union all
                  select 'dispute_reversal', d.id, p.id, d.amount, 0, p.currency, d.funds_reinstated_at, p.dialect_data
                    from sbx_stripe_disputes d join sbx_payments p on p.id = d.payment_id
                   where d.funds_reinstated_at >= :from and d.funds_reinstated_at < :to
                ) m order by at, source_id limit :limit""")
                .param("from", java.time.OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
                .param("to", java.time.OffsetDateTime.ofInstant(to, ZoneOffset.UTC))
                .param("limit", ROWS_MAX + 1)
                .query().listOfRows();
        if (moved.size() > ROWS_MAX) {
            throw StripeError.invalid("report_too_large", "More than " + ROWS_MAX + " balance transactions in the"
                    + " interval; ask for a shorter one.", "parameters[interval_end]");
        }
        for (Map<String, Object> m : moved) {
            String category = (String) m.get("category");
            String paymentId = (String) m.get("payment_id");
            long amount = ((Number) m.get("amount")).longValue();
            String currency = ((String) m.get("currency")).trim();
            Instant at = ((java.sql.Timestamp) m.get("at")).toInstant();
            StripeData data = StripeData.parse((String) m.get("dialect_data"));
            if ("charge".equals(category)) {
                // Stripe: the whole authorisation, then a reversal of what was not captured
                long authorized = ((Number) m.get("authorized")).longValue();
                String charge = StripeData.chargeId(paymentId);
                rows.add(new Row("charge", charge, paymentId, authorized, currency, at, data));
                if (authorized > amount) {
                    rows.add(new Row("partial_capture_reversal", charge, paymentId, amount - authorized, currency,
                            at, data));
                }
            } else {
                rows.add(new Row(category, (String) m.get("source_id"), paymentId, amount, currency, at, data));
            }
        }
        return rows;
    }

    private static String cell(Row row, String column) {
        Instant available = availableOn(row.at());
        String major = major(row.amount(), row.currency());
        return switch (column) {
            case "balance_transaction_id" -> transactionId(row.sourceId(), row.category());
            case "created_utc", "created" -> TIME.format(row.at());
            case "available_on_utc", "available_on" -> TIME.format(available);
            case "currency" -> row.currency().toLowerCase(Locale.ROOT);
            case "gross", "net", "customer_facing_amount" -> major;
            case "fee" -> major(0, row.currency());
            case "reporting_category" -> row.category();
            case "source_id" -> row.sourceId();
            case "description" -> "charge".equals(row.category()) && row.data().productName() != null
                    ? row.data().productName() : "";
            case "customer_facing_currency" -> row.currency().toLowerCase(Locale.ROOT);
            case "automatic_payout_id" -> "po_" + available.atOffset(ZoneOffset.UTC).toLocalDate().toString()
                    .replace("-", "") + "_" + row.currency().toLowerCase(Locale.ROOT);
            case "charge_id" -> StripeData.chargeId(row.paymentId());
            case "payment_intent_id" -> row.paymentId();
            case "payment_method_type" -> "card";
            case "card_brand" -> "visa";
            case "payment_metadata[order_id]" -> row.data().intentMetadata().getOrDefault("order_id", "");
            case "payment_metadata[payment_id]" -> row.data().intentMetadata().getOrDefault("payment_id", "");
            default -> throw new IllegalArgumentException("unknown column " + column);
        };
    }

    /** A balance transaction's id: {@code txn_} and its source's suffix (and its category's mark). */
    static String transactionId(String sourceId, String category) {
        String suffix = sourceId.substring(sourceId.indexOf('_') + 1);
        String mark = switch (category) {
            case "partial_capture_reversal" -> "_pcr";
            case "dispute_reversal" -> "_rev";
            default -> "";
        };
        return "txn_" + suffix + mark;
    }

    /** Funds become available (and are paid out automatically) at the next UTC midnight. */
    static Instant availableOn(Instant at) {
        LocalDate day = at.atOffset(ZoneOffset.UTC).toLocalDate();
        return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Stripe's integer as a decimal of major units, in Stripe's exponent for the currency. */
    static String major(long amount, String currency) {
        String code = currency.toUpperCase(Locale.ROOT);
        int exponent = "MGA".equals(code) ? 0 : Currency.getInstance(code).getDefaultFractionDigits();
        return BigDecimal.valueOf(amount, exponent).toPlainString();
    }

    private static String quote(String value) {
        if (value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}
