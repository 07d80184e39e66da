package io.moneytrail.sandbox;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The sandbox's balance report, in the CSV format Moneytrail's reconciliation imports
 * ({@code id,type,payment_id,order_reference,amount,fee,net,currency,created_at,payout_id};
 * see docs/reconciliation.md). The sandbox charges no fee. It pays each UTC day's net per
 * currency out at 00:00 UTC of the next day, as payout {@code spo_YYYYMMDD_CCY}: every
 * transaction names its payout, and a payout row appears once its time has come.
 */
@Component
@ConditionalOnSandbox
class SandboxReports {

    static final String HEADER = "id,type,payment_id,order_reference,amount,fee,net,currency,created_at,payout_id\n";
    /** A report covers at most this long a window and this many transactions. */
    static final Duration WINDOW_MAX = Duration.ofDays(92);
    static final int ROWS_MAX = 100_000;

    private final SandboxStore store;
    private final Clock clock;

    SandboxReports(SandboxStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    byte[] balanceTransactions(String fromText, String toText) {
        return balanceTransactions(SandboxPayment.SANDBOX, fromText, toText);
    }

    /** The same report over one dialect's payments (T-Bank publishes no report of its own: its month uses this). */
    byte[] balanceTransactions(String dialect, String fromText, String toText) {
        Instant from = instant("from", fromText);
        Instant to = instant("to", toText);
        if (!from.isBefore(to) || Duration.between(from, to).compareTo(WINDOW_MAX) > 0) {
            throw SandboxException.badRequest("parameter_invalid", "from must be before to, at most "
                    + WINDOW_MAX.toDays() + " days apart");
        }
        // the day before the window: its net is paid out at the window's first midnight
        List<SandboxStore.Movement> movements = store.movements(dialect, from.minus(Duration.ofDays(1)), to, ROWS_MAX + 1);
        if (movements.size() > ROWS_MAX) {
            throw SandboxException.badRequest("report_too_large", "more than " + ROWS_MAX
                    + " transactions in the window; ask for a shorter one");
        }
        Instant now = clock.instant();
        StringBuilder csv = new StringBuilder(HEADER);
        Map<String, long[]> payouts = new TreeMap<>(); // payout id -> net
        Map<String, String> payoutCurrency = new TreeMap<>();
        for (SandboxStore.Movement m : movements) {
            String payout = payoutId(m.created(), m.currency());
            payouts.computeIfAbsent(payout, k -> new long[1])[0] += m.amount();
            payoutCurrency.put(payout, m.currency());
            if (m.created().isBefore(from)) {
                continue;
            }
            String amount = major(m.amount(), m.currency());
            csv.append(m.id()).append(',').append(m.type()).append(',').append(m.paymentId()).append(',')
                    .append(m.merchantReference()).append(',').append(amount).append(",0.00,").append(amount)
                    .append(',').append(m.currency()).append(',').append(m.created().truncatedTo(ChronoUnit.SECONDS))
                    .append(',').append(payout)
                    .append('\n');
        }
        for (Map.Entry<String, long[]> payout : payouts.entrySet()) {
            String id = payout.getKey();
            Instant at = payoutTime(id);
            long net = payout.getValue()[0];
            if (net == 0 || at.isBefore(from) || !at.isBefore(to) || at.isAfter(now)) {
                continue;
            }
            String amount = major(-net, payoutCurrency.get(id));
            csv.append(id).append(",payout,,,").append(amount).append(",0.00,").append(amount).append(',')
                    .append(payoutCurrency.get(id)).append(',').append(at).append(",\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String payoutId(Instant created, String currency) {
        return "spo_" + created.atOffset(ZoneOffset.UTC).toLocalDate().toString().replace("-", "") + "_" + currency;
    }

    static Instant payoutTime(String payoutId) {
        String day = payoutId.substring(4, 12);
        return LocalDate.of(Integer.parseInt(day.substring(0, 4)), Integer.parseInt(day.substring(4, 6)),
                Integer.parseInt(day.substring(6, 8))).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static String major(long minor, String currency) {
        return BigDecimal.valueOf(minor, Currency.getInstance(currency).getDefaultFractionDigits()).toPlainString();
    }

    private static Instant instant(String name, String text) {
        if (text == null || text.isBlank()) {
            throw SandboxException.badRequest("parameter_missing", name + " is required (2026-05-01 or 2026-05-01T00:00:00Z)");
        }
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeException e) {
            throw SandboxException.badRequest("parameter_invalid", name + " '" + text
                    + "' is not a date (2026-05-01) or an instant (2026-05-01T00:00:00Z)");
        }
    }
}
