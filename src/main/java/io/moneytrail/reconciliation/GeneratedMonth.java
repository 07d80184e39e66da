package io.moneytrail.reconciliation;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A generated month of store activity as the three files a store would hand an auditor:
 * the order export, a Stripe balance-change report (with payouts) and a camt.053.001.08 bank
 * statement. Seeded: the same seed and size give the same bytes. Without injections the month
 * reconciles with no discrepancy; each requested {@link DiscrepancyClass} is injected exactly
 * once (into an order, payout or bank entry of its own).
 *
 * <p>The month is May 2026: orders on days 1–28, charged a minute after creation, some
 * refunded a day later; the day's net is paid out two days later (payout rows in the report,
 * {@code automatic_payout_id} on the transactions) and reaches the bank the day after, most
 * entries naming the payout, some not, and now and then two payouts in one entry.
 */
public final class GeneratedMonth {

    /** The fee tariff the generated provider charges; pass it to the audit to check fees. */
    public static final FeeTariff TARIFF = FeeTariff.parse("1.5%+0.25");
    public static final LocalDate FIRST_DAY = LocalDate.of(2026, 5, 1);
    private static final int ORDER_DAYS = 28;
    private static final int MONTH_DAYS = 31;
    private static final String CURRENCY = "EUR";
    /** The provider's name on the bank side (the payer of its payouts). */
    private static final String STRIPE_NAME = "Stripe Payments Europe Ltd";

    /**
     * The files written and what went into them.
     *
     * @param injected for each injected class, the id of the object it was injected into
     */
    public record Files3(Path orders, Path providerReport, Path bankStatement, long orderRows, long providerRows,
                         long bankEntries, Map<DiscrepancyClass, String> injected) {
    }

    private GeneratedMonth() {
    }

    public static Files3 write(Path dir, long seed, int orderCount, Set<DiscrepancyClass> inject) {
        if (orderCount < 100) {
            throw new IllegalArgumentException("a generated month needs at least 100 orders");
        }
        try {
            Files.createDirectories(dir);
            return new Generator(dir, seed, orderCount, inject).run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Generator {
        final Path dir;
        final SplittableRandom random;
        final int orderCount;
        final Set<DiscrepancyClass> inject;
        final String tag;
        final Map<DiscrepancyClass, String> injected = new EnumMap<>(DiscrepancyClass.class);
        final Map<Integer, Integer> victims = new TreeMap<>(); // order index -> class ordinal
        /** day index (0-based) -> net of that day's transactions. */
        final long[] dayNet = new long[MONTH_DAYS + 1];
        long providerRows;

        Generator(Path dir, long seed, int orderCount, Set<DiscrepancyClass> inject) {
            this.dir = dir;
            this.random = new SplittableRandom(seed);
            this.orderCount = orderCount;
            this.inject = inject;
            this.tag = Long.toHexString(seed & 0xffffL);
        }

        Files3 run() throws IOException {
            chooseVictims();
            Path orders = dir.resolve("orders.csv");
            Path report = dir.resolve("stripe-balance-change.csv");
            Path bank = dir.resolve("bank-camt053.xml");
            try (BufferedWriter o = Files.newBufferedWriter(orders, StandardCharsets.UTF_8);
                 BufferedWriter r = Files.newBufferedWriter(report, StandardCharsets.UTF_8)) {
                o.write("order_id,created_at,status,currency,amount_total,amount_paid,amount_refunded,payment_reference\n");
                r.write("balance_transaction_id,created_utc,created,available_on_utc,available_on,currency,gross,fee,net,"
                        + "reporting_category,source_id,description,customer_facing_amount,customer_facing_currency,"
                        + "automatic_payout_id,charge_id,payment_intent_id,payment_metadata[order_id]\n");
                long perDay = Math.max(1, (long) orderCount / ORDER_DAYS);
                for (int i = 0; i < orderCount; i++) {
                    int day = (int) Math.min(ORDER_DAYS - 1, i / perDay);
                    order(o, r, i, day);
                }
                extraRows(r);
                long bankEntries = payoutsAndBank(r, bank);
                return new Files3(orders, report, bank, orderCount, providerRows, bankEntries, injected);
            }
        }

        void chooseVictims() {
            long perDay = Math.max(1, (long) orderCount / ORDER_DAYS);
            Set<Integer> taken = new HashSet<>();
            for (DiscrepancyClass kind : DiscrepancyClass.values()) {
                if (!inject.contains(kind) || !orderInjection(kind)) {
                    continue;
                }
                while (true) {
                    int index = (int) (perDay * 4 + random.nextLong(perDay * 14));
                    if (index < orderCount && kindOf(index) == Kind.PAID && taken.add(index)) {
                        victims.put(index, kind.ordinal());
                        break;
                    }
                }
            }
        }

        static boolean orderInjection(DiscrepancyClass kind) {
            return kind != DiscrepancyClass.CHARGED_UNKNOWN_TO_US && kind != DiscrepancyClass.PAYOUT_NOT_RECEIVED
                    && kind != DiscrepancyClass.PAYOUT_NET_DIFFERS_FROM_TRANSACTIONS
                    && kind != DiscrepancyClass.BANK_CREDIT_WITHOUT_PAYOUT
                    && kind != DiscrepancyClass.BANK_DEBIT_WITHOUT_PAYOUT && kind != DiscrepancyClass.BANK_CREDIT_UNEXPLAINED
                    && kind.fileAudit(); // receipt classes cannot be put into files
        }

        enum Kind { PAID, PARTIALLY_REFUNDED, REFUNDED, PENDING, CANCELLED }

        /** The order's fate, from its index alone (so victims can be chosen before writing). */
        Kind kindOf(int index) {
            int bucket = Math.floorMod(index * 7919 + 13, 100);
            if (bucket < 82) {
                return Kind.PAID;
            }
            if (bucket < 89) {
                return Kind.PARTIALLY_REFUNDED;
            }
            if (bucket < 92) {
                return Kind.REFUNDED;
            }
            return bucket < 97 ? Kind.PENDING : Kind.CANCELLED;
        }

        void order(BufferedWriter o, BufferedWriter r, int i, int day) throws IOException {
            String orderId = "ord-" + tag + "-" + i;
            long created = FIRST_DAY.plusDays(day).atStartOfDay(ZoneOffset.UTC).toEpochSecond() + 60
                    + random.nextLong(86_400 - 600);
            long total = (50 + random.nextLong(50_000)) * 10; // 5.00 .. 500.00, whole ten-cent steps
            Kind kind = kindOf(i);
            DiscrepancyClass victim = victims.containsKey(i) ? DiscrepancyClass.values()[victims.get(i)] : null;
            String intent = "pi_" + tag + "_" + i;
            String charge = "ch_" + tag + "_" + i;
            String status;
            long paid;
            long refunded = 0;
            switch (kind) {
                case PENDING:
                    status = "pending";
                    paid = 0;
                    break;
                case CANCELLED:
                    status = "cancelled";
                    paid = 0;
                    break;
                case PARTIALLY_REFUNDED:
                    status = "partially_refunded";
                    paid = total;
                    refunded = total * (1 + random.nextInt(5)) / 100 * 10; // 10..50 %, whole ten cents
                    break;
                case REFUNDED:
                    status = "refunded";
                    paid = total;
                    refunded = total;
                    break;
                default:
                    status = "paid";
                    paid = total;
                    break;
            }
            // what the store's export says
            String exportStatus = status;
            long exportPaid = paid;
            long exportRefunded = refunded;
            if (victim != null) {
                injected.put(victim, orderId);
                switch (victim) {
                    case CAPTURED_ON_CANCELLED_ORDER: exportStatus = "cancelled"; break;
                    case REFUND_RECORDED_NOT_AT_PROVIDER: exportStatus = "partially_refunded"; exportRefunded = 100; break;
                    case STATUS_MISMATCH: exportStatus = "pending"; exportPaid = 0; break;
                    case LEDGER_DISAGREES_WITH_DERIVED_STATUS: exportPaid = 0; break;
                    default: break;
                }
            }
            o.write(orderId);
            o.write(',');
            o.write(Instant.ofEpochSecond(created).toString());
            o.write(',');
            o.write(exportStatus);
            o.write(",EUR,");
            o.write(major(total));
            o.write(',');
            o.write(major(exportPaid));
            o.write(',');
            o.write(major(exportRefunded));
            o.write(',');
            o.write(kind == Kind.PENDING || kind == Kind.CANCELLED ? "" : intent);
            o.write('\n');
            if (paid == 0 || victim == DiscrepancyClass.PAID_ORDER_WITHOUT_PROVIDER_RECORD) {
                return;
            }
            long gross = victim == DiscrepancyClass.AMOUNT_MISMATCH ? total + 100 : total;
            long fee = TARIFF.expectedFeeMinor(gross, 2) + (victim == DiscrepancyClass.FEE_DIFFERS_FROM_TARIFF ? 50 : 0);
            String currency = victim == DiscrepancyClass.CURRENCY_MISMATCH ? "USD" : CURRENCY;
            long at = created + 60;
            row(r, "txn_" + tag + "_c" + i, at, currency, gross, fee, "charge", charge, "Order " + orderId,
                    currency.equals(CURRENCY) ? payoutFor(at, gross - fee) : "", charge, intent, orderId);
            if (victim == DiscrepancyClass.DUPLICATE_CHARGE) {
                row(r, "txn_" + tag + "_d" + i, at + 30, currency, gross, fee, "charge", charge + "_dup",
                        "Order " + orderId, payoutFor(at + 30, gross - fee), charge + "_dup", intent, orderId);
            }
            long refundAt = at + 86_400;
            if (refunded > 0) {
                row(r, "txn_" + tag + "_r" + i, refundAt, CURRENCY, -refunded, 0, "refund", "re_" + tag + "_" + i,
                        "Refund for " + orderId, payoutFor(refundAt, -refunded), charge, intent, orderId);
            }
            if (victim == DiscrepancyClass.REFUND_AT_PROVIDER_NOT_RECORDED) {
                row(r, "txn_" + tag + "_r" + i, refundAt, CURRENCY, -100, 0, "refund", "re_" + tag + "_" + i,
                        "Refund for " + orderId, payoutFor(refundAt, -100), charge, intent, orderId);
            }
            if (victim == DiscrepancyClass.CHARGEBACK_NOT_RECORDED) {
                row(r, "txn_" + tag + "_x" + i, refundAt, CURRENCY, -gross, 0, "dispute", "dp_" + tag + "_" + i,
                        "Chargeback", payoutFor(refundAt, -gross), charge, intent, orderId);
            }
        }

        void extraRows(BufferedWriter r) throws IOException {
            if (inject.contains(DiscrepancyClass.CHARGED_UNKNOWN_TO_US)) {
                long at = FIRST_DAY.plusDays(9).atStartOfDay(ZoneOffset.UTC).toEpochSecond() + 3_600;
                long gross = 77_777;
                long fee = TARIFF.expectedFeeMinor(gross, 2);
                row(r, "txn_" + tag + "_unknown", at, CURRENCY, gross, fee, "charge", "ch_" + tag + "_unknown",
                        "Unknown", payoutFor(at, gross - fee), "ch_" + tag + "_unknown", "pi_" + tag + "_unknown", "");
                injected.put(DiscrepancyClass.CHARGED_UNKNOWN_TO_US, "ch_" + tag + "_unknown");
            }
        }

        /** Records the transaction's net against its day's payout and returns the payout id (or "" past the month). */
        String payoutFor(long epochSecond, long net) {
            int day = (int) ((epochSecond - FIRST_DAY.atStartOfDay(ZoneOffset.UTC).toEpochSecond()) / 86_400);
            dayNet[day] += net;
            return day + 2 < MONTH_DAYS ? payoutId(day) : ""; // paid out next month: not in this report
        }

        String payoutId(int day) {
            return "po_" + tag + "_" + FIRST_DAY.plusDays(day).toString().replace("-", "");
        }

        long payoutsAndBank(BufferedWriter r, Path bank) throws IOException {
            List<String[]> entries = new ArrayList<>(); // amountMinor, bookingDate, ref, details, batch
            int skipDay = inject.contains(DiscrepancyClass.PAYOUT_NOT_RECEIVED) ? 5 : -1;
            int wrongDay = inject.contains(DiscrepancyClass.PAYOUT_NET_DIFFERS_FROM_TRANSACTIONS) ? 8 : -1;
            long pendingBatch = 0;
            String pendingBatchIds = null;
            for (int day = 0; day + 2 < MONTH_DAYS; day++) {
                long amount = dayNet[day];
                if (amount == 0) {
                    continue;
                }
                if (day == wrongDay) {
                    amount += 1_000;
                    injected.put(DiscrepancyClass.PAYOUT_NET_DIFFERS_FROM_TRANSACTIONS, payoutId(day));
                }
                long at = FIRST_DAY.plusDays(day + 2).atStartOfDay(ZoneOffset.UTC).toEpochSecond() + 6 * 3_600;
                row(r, "txn_" + tag + "_p" + day, at, CURRENCY, -amount, 0, "payout", payoutId(day),
                        "STRIPE PAYOUT", "", "", "", "");
                LocalDate booked = FIRST_DAY.plusDays(day + 3);
                if (booked.getMonthValue() != FIRST_DAY.getMonthValue() || amount < 0) {
                    continue; // arrives next month (in transit), or a debit we leave out
                }
                if (day == skipDay) {
                    injected.put(DiscrepancyClass.PAYOUT_NOT_RECEIVED, payoutId(day));
                    continue;
                }
                boolean batched = day % 7 == 3 && day != wrongDay && day + 1 != wrongDay && day + 1 != skipDay
                        && day + 3 < MONTH_DAYS;
                if (batched) {
                    pendingBatch = amount;
                    pendingBatchIds = payoutId(day);
                    continue;
                }
                if (pendingBatchIds != null) {
                    entries.add(new String[] {Long.toString(pendingBatch + amount), booked.toString(),
                        "BANK-" + tag + "-" + day, "STRIPE PAYOUTS", "2", STRIPE_NAME});
                    pendingBatchIds = null;
                    continue;
                }
                boolean named = day % 3 != 0 || day == wrongDay;
                entries.add(new String[] {Long.toString(amount), booked.toString(), "BANK-" + tag + "-" + day,
                    named ? "STRIPE PAYOUT " + payoutId(day) : "STRIPE PAYMENTS EUROPE", "1", STRIPE_NAME});
            }
            if (inject.contains(DiscrepancyClass.BANK_CREDIT_WITHOUT_PAYOUT)) {
                entries.add(new String[] {"333", FIRST_DAY.plusDays(14).toString(), "BANK-" + tag + "-extra",
                    "STRIPE TRANSFER", "1", ""});
                injected.put(DiscrepancyClass.BANK_CREDIT_WITHOUT_PAYOUT, "BANK-" + tag + "-extra");
            }
            if (inject.contains(DiscrepancyClass.BANK_DEBIT_WITHOUT_PAYOUT)) {
                // money sent to the provider's account (recognised by the account its payouts come from)
                entries.add(new String[] {"-5000", FIRST_DAY.plusDays(16).toString(), "BANK-" + tag + "-topup",
                    "Balance top-up 2026-05-17", "1", STRIPE_NAME});
                injected.put(DiscrepancyClass.BANK_DEBIT_WITHOUT_PAYOUT, "BANK-" + tag + "-topup");
            }
            if (inject.contains(DiscrepancyClass.BANK_CREDIT_UNEXPLAINED)) {
                // money that has nothing to do with the provider, and nothing else explains
                entries.add(new String[] {"4990", FIRST_DAY.plusDays(11).toString(), "BANK-" + tag + "-invoice",
                    "Invoice 2026-118 ACME GmbH", "1", "ACME GmbH"});
                injected.put(DiscrepancyClass.BANK_CREDIT_UNEXPLAINED, "BANK-" + tag + "-invoice");
            }
            // the account's own spending: a debit to someone else (counted, not a discrepancy)
            entries.add(new String[] {"-250000", FIRST_DAY.plusDays(2).toString(), "BANK-" + tag + "-rent",
                "Office rent May", "1", "Hausverwaltung Mitte GmbH"});
            writeCamt(bank, entries);
            return entries.size();
        }

        void writeCamt(Path bank, List<String[]> entries) throws IOException {
            long closing = 0;
            for (String[] e : entries) {
                closing += Long.parseLong(e[0]);
            }
            LocalDate last = FIRST_DAY.withDayOfMonth(FIRST_DAY.lengthOfMonth());
            try (BufferedWriter b = Files.newBufferedWriter(bank, StandardCharsets.UTF_8)) {
                b.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        + "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">\n <BkToCstmrStmt>\n"
                        + "  <GrpHdr><MsgId>GEN-" + tag + "</MsgId><CreDtTm>2026-06-01T06:00:00</CreDtTm></GrpHdr>\n"
                        + "  <Stmt>\n   <Id>STMT-" + tag + "-2026-05</Id><CreDtTm>2026-06-01T06:00:00</CreDtTm>\n"
                        + "   <FrToDt><FrDtTm>" + FIRST_DAY + "T00:00:00</FrDtTm><ToDtTm>" + last
                        + "T23:59:59</ToDtTm></FrToDt>\n"
                        + "   <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
                        + "   <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">0.00</Amt>"
                        + "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>" + FIRST_DAY + "</Dt></Dt></Bal>\n"
                        + "   <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">" + major(Math.abs(closing))
                        + "</Amt><CdtDbtInd>" + (closing >= 0 ? "CRDT" : "DBIT") + "</CdtDbtInd><Dt><Dt>" + last
                        + "</Dt></Dt></Bal>\n");
                for (String[] e : entries) {
                    long amount = Long.parseLong(e[0]);
                    String party = e[5].isEmpty() ? "" : amount >= 0
                            ? "<RltdPties><Dbtr><Pty><Nm>" + e[5] + "</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>"
                            + iban(e[5]) + "</IBAN></Id></DbtrAcct></RltdPties>"
                            : "<RltdPties><Cdtr><Pty><Nm>" + e[5] + "</Nm></Pty></Cdtr><CdtrAcct><Id><IBAN>"
                            + iban(e[5]) + "</IBAN></Id></CdtrAcct></RltdPties>";
                    b.write("   <Ntry><Amt Ccy=\"EUR\">" + major(Math.abs(amount)) + "</Amt><CdtDbtInd>"
                            + (amount >= 0 ? "CRDT" : "DBIT") + "</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>" + e[1]
                            + "</Dt></BookgDt><ValDt><Dt>" + e[1] + "</Dt></ValDt><AcctSvcrRef>" + e[2]
                            + "</AcctSvcrRef><NtryDtls>" + (e[4].equals("1") ? "" : "<Btch><NbOfTxs>" + e[4]
                            + "</NbOfTxs></Btch>") + "<TxDtls>" + party + "<RmtInf><Ustrd>" + e[3]
                            + "</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n");
                }
                b.write("  </Stmt>\n </BkToCstmrStmt>\n</Document>\n");
            }
        }

        /** A made-up account per counterparty, stable across runs. */
        static String iban(String name) {
            return name.equals(STRIPE_NAME) ? "IE29AIBK93115212345678"
                    : "DE" + String.format("%020d", Math.floorMod(name.hashCode(), 1_000_000_000L));
        }

        void row(BufferedWriter r, String id, long epochSecond, String currency, long gross, long fee, String category,
                 String source, String description, String payout, String charge, String intent, String orderId)
                throws IOException {
            providerRows++;
            String created = Instant.ofEpochSecond(epochSecond).toString().replace('T', ' ').replace("Z", "");
            String available = LocalDate.ofInstant(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC).plusDays(2)
                    + " 00:00:00";
            String lower = currency.toLowerCase();
            r.write(id);
            r.write(',');
            r.write(created);
            r.write(',');
            r.write(created);
            r.write(',');
            r.write(available);
            r.write(',');
            r.write(available);
            r.write(',');
            r.write(lower);
            r.write(',');
            r.write(major(gross));
            r.write(',');
            r.write(major(fee));
            r.write(',');
            r.write(major(gross - fee));
            r.write(',');
            r.write(category);
            r.write(',');
            r.write(source);
            r.write(',');
            r.write(description);
            r.write(',');
            r.write(major(gross));
            r.write(',');
            r.write(lower);
            r.write(',');
            r.write(payout);
            r.write(',');
            r.write(charge);
            r.write(',');
            r.write(intent);
            r.write(',');
            r.write(orderId);
            r.write('\n');
        }

        static String major(long minor) {
            return BigDecimal.valueOf(minor, 2).toPlainString();
        }
    }
}
