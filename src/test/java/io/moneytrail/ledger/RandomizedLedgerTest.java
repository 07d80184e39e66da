package io.moneytrail.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.testing.ApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Thousands of order lifecycles expressed as money facts (captures, fees, refunds before and
 * after fulfilment with VAT, fulfilments, chargebacks and their reversals, operator reversals,
 * payouts; in EUR, RUB and JPY), posted through {@link PostingRules} and a random mix of
 * {@link BulkJournal} batches and single {@link Journal#post}s, some of them twice. Then the
 * ledger is checked against an independent model of each order. Seeded: the seed is printed,
 * {@code -Dmoneytrail.seed=...} replays a run.
 *
 * <p>The facts are effective in 1991, when no other test posts anything, so balances as of an
 * instant in that year are exactly the model's (operator reversals are effective when they are
 * made, i.e. now).
 */
class RandomizedLedgerTest extends ApiTest {

    private static final int ORDERS = 3_000;
    private static final Instant ERA = Instant.parse("1991-01-01T00:00:00Z");
    private static final Instant ERA_END = Instant.parse("1992-01-01T00:00:00Z");
    private static final String[] CURRENCIES = {"EUR", "RUB", "JPY"};
    private static final int[] VAT_RATES = {0, 10, 20, 22};
    private static final String PROVIDER = "ledgerrand";
    private static final String BANK = "assets:bank:main";

    @Autowired
    BulkJournal bulk;

    @Autowired
    Journal journal;

    @Autowired
    Balances balances;

    @Autowired
    Accounts accounts;

    @Autowired
    private PlatformTransactionManager transactions;

    private Random random;
    private long seed;

    /** What the ledger must say about one order, computed from the facts alone. */
    private static final class OrderModel {
        final String id = Ids.next(Ids.ORDER);
        final String currency;
        final long total;
        final long vat;
        long captured;
        long refunded;
        long held; // customer advance still held for the order
        long returned; // revenue given back by refunds after fulfilment
        long vatReturned; // the VAT inside it
        long fees;
        long feesReversed;
        long chargebacks;
        long chargebacksReversed;
        boolean fulfilled;
        final List<Fact> feeFacts = new ArrayList<>();

        OrderModel(String currency, long total, long vat) {
            this.currency = currency;
            this.total = total;
            this.vat = vat;
        }
    }

    /** A money fact; a chargeback reversal builds its entry when the chargeback's entry id is known. */
    private static final class Fact {
        final Instant at;
        final OrderModel order;
        NewEntry entry;
        final String chargebackId;
        final long amount;

        Fact(Instant at, OrderModel order, NewEntry entry) {
            this(at, order, entry, null, 0);
        }

        Fact(Instant at, OrderModel order, NewEntry entry, String chargebackId, long amount) {
            this.at = at;
            this.order = order;
            this.entry = entry;
            this.chargebackId = chargebackId;
            this.amount = amount;
        }
    }

    @Test
    void thousands_of_random_lifecycles_leave_a_balanced_ledger_that_agrees_with_every_order() {
        seed = Long.getLong("moneytrail.seed", System.nanoTime());
        System.out.println("RandomizedLedgerTest seed " + seed + " (replay with -Dmoneytrail.seed=" + seed + ")");
        random = new Random(seed);
        String psp = accounts.provider(PROVIDER);

        List<OrderModel> orders = new ArrayList<>();
        List<Fact> facts = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            OrderModel order = newOrder();
            orders.add(order);
            lifecycle(order, facts);
        }
        facts.sort(Comparator.comparing((Fact f) -> f.at));
        long started = System.nanoTime();
        List<NewEntry> posted = post(withPayouts(facts));
        List<String> reversalIds = operatorReversals(orders);
        long checking = System.nanoTime();

        // Every source is in the journal exactly once.
        List<String> orderIds = orders.stream().map(o -> o.id).toList();
        long payouts = posted.stream().filter(e -> e.orderId() == null).count();
        assertThat(jdbc.sql("select count(*) from journal_entries where order_id = any(:orders)")
                .param("orders", orderIds.toArray(new String[0])).query(Long.class).single())
                .as("seed %d", seed).isEqualTo(posted.size() - payouts + reversalIds.size());

        // The trial balance sums to zero in every currency, now and at the end of the facts' year.
        Balances.TrialBalance now = balances.trialBalance(Instant.now());
        assertThat(now.balanced()).as("seed %d: %s", seed, now.totalsByCurrency()).isTrue();
        assertThat(now.totalsByCurrency()).containsKeys(CURRENCIES);
        assertThat(balances.trialBalance(ERA_END).balanced()).as("seed %d", seed).isTrue();

        checkBalancesAsOfPastInstants(posted, psp);
        checkEveryOrder(orders, psp);
        checkMoneyTrails(orders.subList(0, 100), psp);
        System.out.printf("RandomizedLedgerTest: %d entries posted in %.1f s, checked in %.1f s%n", posted.size(),
                (checking - started) / 1e9, (System.nanoTime() - checking) / 1e9);
    }

    private OrderModel newOrder() {
        String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
        long total = switch (currency) {
            case "EUR" -> 500 + random.nextInt(200_000);
            case "RUB" -> 10_000 + random.nextInt(5_000_000);
            default -> 100 + random.nextInt(100_000);
        };
        int rate = VAT_RATES[random.nextInt(VAT_RATES.length)];
        long vat = (total * rate * 2 + 100 + rate) / (2L * (100 + rate)); // VAT inside a price, half up
        return new OrderModel(currency, total, vat);
    }

    /** One order's facts, in its own time order, with the model updated as each would post. */
    private void lifecycle(OrderModel o, List<Fact> facts) {
        Instant[] at = {ERA.plus(Duration.ofMinutes(random.nextInt(300 * 24 * 60)))};
        java.util.function.Supplier<Instant> next = () -> at[0] = at[0].plusMillis(1 + random.nextInt(3_600_000));
        double shape = random.nextDouble();
        long toCapture = shape < 0.7 ? o.total
                : shape < 0.8 ? o.total + 1 + random.nextInt((int) Math.max(1, o.total / 10))
                : 1 + (long) (random.nextDouble() * (o.total - 1));
        long first = random.nextInt(3) == 0 && toCapture > 1 ? 1 + (long) (random.nextDouble() * (toCapture - 1)) : toCapture;
        for (long amount : first == toCapture ? new long[] {toCapture} : new long[] {first, toCapture - first}) {
            Instant when = next.get();
            facts.add(new Fact(when, o, PostingRules.capture(Ids.next(Ids.TRANSACTION), o.id, PROVIDER,
                    money(amount, o), when)));
            o.captured += amount;
            o.held += amount;
            if (random.nextBoolean()) {
                long fee = Math.max(1, amount * 3 / 100);
                Instant feeAt = next.get();
                Fact feeFact = new Fact(feeAt, o, PostingRules.providerFee(Ids.next("fee_"), o.id, PROVIDER,
                        money(fee, o), feeAt), null, fee);
                facts.add(feeFact);
                o.feeFacts.add(feeFact);
                o.fees += fee;
            }
        }
        if (random.nextInt(10) < 3) {
            for (int k = 1 + random.nextInt(2); k > 0 && o.captured > o.refunded; k--) {
                long amount = refundAmount(o);
                Instant when = next.get();
                facts.add(new Fact(when, o, PostingRules.refundBeforeFulfilment(Ids.next(Ids.TRANSACTION), o.id,
                        PROVIDER, money(amount, o), when)));
                o.refunded += amount;
                o.held -= amount;
            }
        }
        if (o.captured - o.refunded >= o.total && random.nextInt(100) < 65) {
            Instant when = next.get();
            facts.add(new Fact(when, o, PostingRules.fulfilment(o.id, money(o.total, o), o.vat, when)));
            o.fulfilled = true;
            o.held -= o.total;
            if (random.nextInt(100) < 45) {
                for (int k = 1 + random.nextInt(3); k > 0 && o.captured > o.refunded; k--) {
                    long amount = k == 1 && random.nextBoolean() ? o.captured - o.refunded : refundAmount(o);
                    Instant refundAt = next.get();
                    NewEntry refund = PostingRules.refundAfterFulfilment(Ids.next(Ids.TRANSACTION), o.id, PROVIDER,
                            money(amount, o), o.held, new PostingRules.EarlierReturns(o.returned, o.vatReturned),
                            money(o.total, o), o.vat, refundAt);
                    facts.add(new Fact(refundAt, o, refund));
                    long fromAdvance = Math.min(o.held, amount);
                    o.held -= fromAdvance;
                    o.returned += amount - fromAdvance;
                    o.vatReturned += refund.lines().stream()
                            .filter(line -> line.account().equals(PostingRules.VAT_PAYABLE))
                            .mapToLong(line -> line.amount().amountMinor()).sum();
                    o.refunded += amount;
                }
            }
        }
        if (o.captured > o.refunded && random.nextInt(100) < 5) {
            long amount = 1 + (long) (random.nextDouble() * (o.captured - o.refunded - 1));
            String chargebackId = Ids.next("cb_");
            Instant when = next.get();
            facts.add(new Fact(when, o, PostingRules.chargeback(chargebackId, o.id, PROVIDER, money(amount, o), when)));
            o.chargebacks += amount;
            if (random.nextBoolean()) {
                facts.add(new Fact(next.get(), o, null, chargebackId, amount));
                o.chargebacksReversed += amount;
            }
        }
        assertThat(o.held).as("seed %d: the model never holds a negative advance", seed).isNotNegative();
    }

    private long refundAmount(OrderModel o) {
        long refundable = o.captured - o.refunded;
        return random.nextInt(4) == 0 ? refundable : 1 + (long) (random.nextDouble() * (refundable - 1));
    }

    /** Payouts of part of what the provider holds, every few hundred facts, per currency. */
    private List<Fact> withPayouts(List<Fact> facts) {
        Map<String, Long> held = new HashMap<>();
        List<Fact> out = new ArrayList<>(facts.size() + 100);
        int sincePayout = 0;
        for (Fact fact : facts) {
            out.add(fact);
            if (fact.entry != null) {
                for (Posting line : fact.entry.lines()) {
                    if (line.account().equals(PostingRules.psp(PROVIDER))) {
                        held.merge(line.amount().currencyCode(), line.amount().amountMinor(), Math::addExact);
                    }
                }
            } else {
                held.merge(fact.order.currency, fact.amount, Math::addExact);
            }
            if (++sincePayout == 200) {
                sincePayout = 0;
                for (String currency : CURRENCIES) {
                    long amount = held.getOrDefault(currency, 0L) / 2;
                    if (amount > 0) {
                        Instant when = fact.at.plusMillis(1);
                        out.add(new Fact(when, null, PostingRules.payout(Ids.next("po_"), PROVIDER, BANK,
                                Money.of(amount, currency), when)));
                        held.merge(currency, -amount, Math::addExact);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Posts the facts in time order through batches of random size, with one in ten posted
     * alone through {@link Journal#post} and some posted again (a repeat must be a no-op).
     * Returns the entries posted, each once.
     */
    private List<NewEntry> post(List<Fact> facts) {
        Map<String, String> entryIdBySource = new HashMap<>();
        List<NewEntry> pending = new ArrayList<>();
        List<NewEntry> posted = new ArrayList<>();
        int[] batchSize = {1 + random.nextInt(800)};
        long[] bulkPosted = {0};
        Runnable flush = () -> {
            if (pending.isEmpty()) {
                return;
            }
            BulkJournal.BatchResult result = bulk.post(pending);
            assertThat(result.posted() + result.existing() + result.duplicates()).isEqualTo(pending.size());
            for (int i = 0; i < pending.size(); i++) {
                String previous = entryIdBySource.put(source(pending.get(i)), result.entryIds().get(i));
                assertThat(previous == null || previous.equals(result.entryIds().get(i)))
                        .as("seed %d: a repeat answers the first entry's id", seed).isTrue();
            }
            bulkPosted[0] += result.posted();
            pending.clear();
            batchSize[0] = 1 + random.nextInt(800);
        };
        for (Fact fact : facts) {
            if (fact.entry == null) {
                String chargebackEntry = entryIdBySource.get(PostingRules.SOURCE_CHARGEBACK + "\n" + fact.chargebackId);
                if (chargebackEntry == null) {
                    flush.run(); // the chargeback is in the pending batch: it needs its id first
                    chargebackEntry = entryIdBySource.get(PostingRules.SOURCE_CHARGEBACK + "\n" + fact.chargebackId);
                }
                fact.entry = PostingRules.chargebackReversal(fact.chargebackId, chargebackEntry, fact.order.id, PROVIDER,
                        money(fact.amount, fact.order), fact.at);
            }
            posted.add(fact.entry);
            if (random.nextInt(10) == 0) {
                entryIdBySource.put(source(fact.entry), journal.post(fact.entry).id());
            } else {
                pending.add(fact.entry);
            }
            if (random.nextInt(50) == 0) {
                NewEntry again = posted.get(random.nextInt(posted.size()));
                if (random.nextBoolean()) {
                    pending.add(again);
                } else {
                    String id = journal.post(again).id();
                    String known = entryIdBySource.putIfAbsent(source(again), id);
                    assertThat(known == null || known.equals(id)).as("seed %d", seed).isTrue();
                }
            }
            if (pending.size() >= batchSize[0]) {
                flush.run();
            }
        }
        flush.run();
        assertThat(entryIdBySource).hasSize(posted.size());
        return posted;
    }

    /** Operators reverse a few fees (charged twice, say); an entry can be reversed only once. */
    private List<String> operatorReversals(List<OrderModel> orders) {
        List<String> reversals = new ArrayList<>();
        for (OrderModel o : orders) {
            for (Fact fee : o.feeFacts) {
                if (random.nextInt(100) < 3) {
                    String feeEntry = journal.bySource(fee.entry.sourceType(), fee.entry.sourceId()).orElseThrow().id();
                    JournalEntry reversal = journal.reverse(feeEntry, "ops@example.com", "fee charged twice");
                    assertThat(reversal.reverses()).isEqualTo(feeEntry);
                    reversals.add(reversal.id());
                    o.feesReversed += fee.amount;
                    if (reversals.size() == 1) {
                        assertThatThrownBy(() -> journal.reverse(feeEntry, "ops@example.com", "again"))
                                .isInstanceOf(MoneytrailException.class);
                    }
                }
            }
        }
        return reversals;
    }

    /**
     * As of instants in the facts' year, every account holds exactly the earlier entries' lines.
     * The balances are read in one repeatable-read snapshot: the database is shared with every
     * other test class, whose background work (the resolver, compensations) may post entries
     * while this runs, and the balance before the era is subtracted from each reading, so both
     * must see the same journal.
     */
    private void checkBalancesAsOfPastInstants(List<NewEntry> posted, String psp) {
        TransactionTemplate snapshot = new TransactionTemplate(transactions);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
        snapshot.executeWithoutResult(status -> checkBalancesAsOfPastInstantsInOneSnapshot(posted, psp));
    }

    private void checkBalancesAsOfPastInstantsInOneSnapshot(List<NewEntry> posted, String psp) {
        List<String> codes = List.of(psp, BANK, PostingRules.ADVANCES, PostingRules.SALES, PostingRules.SALES_RETURNS,
                PostingRules.VAT_PAYABLE, PostingRules.PSP_FEES, PostingRules.CHARGEBACKS);
        List<Instant> instants = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            instants.add(ERA.plus(Duration.ofMinutes(random.nextInt(366 * 24 * 60))));
            Instant exact = posted.get(random.nextInt(posted.size())).effectiveAt();
            instants.add(exact); // an entry effective at the instant counts
            instants.add(exact.minusNanos(1_000)); // one a microsecond later does not
        }
        instants.add(ERA_END);
        for (String code : codes) {
            Map<String, long[]> before = byCurrency(balances.account(code, ERA.minusNanos(1_000)));
            for (Instant asOf : instants) {
                Map<String, long[]> expected = new TreeMap<>();
                for (NewEntry entry : posted) {
                    if (!entry.effectiveAt().isAfter(asOf)) {
                        for (Posting line : entry.lines()) {
                            if (line.account().equals(code)) {
                                long[] sums = expected.computeIfAbsent(line.amount().currencyCode(), c -> new long[2]);
                                sums[line.amount().isPositive() ? 0 : 1] += Math.abs(line.amount().amountMinor());
                            }
                        }
                    }
                }
                Map<String, long[]> actual = byCurrency(balances.account(code, asOf));
                before.forEach((currency, sums) -> {
                    long[] a = actual.get(currency);
                    a[0] -= sums[0];
                    a[1] -= sums[1];
                });
                actual.values().removeIf(sums -> sums[0] == 0 && sums[1] == 0);
                assertThat(actual).as("seed %d: %s as of %s", seed, code, asOf)
                        .usingRecursiveComparison().isEqualTo(expected);
            }
        }
    }

    private static Map<String, long[]> byCurrency(List<Balances.Balance> list) {
        Map<String, long[]> out = new TreeMap<>();
        for (Balances.Balance balance : list) {
            out.put(balance.currency(), new long[] {balance.debitsMinor(), balance.creditsMinor()});
        }
        return out;
    }

    /** Each order's accounts, summed over its entries, against the model. */
    private void checkEveryOrder(List<OrderModel> orders, String psp) {
        Map<String, Map<String, Long>> actual = new HashMap<>();
        jdbc.sql("""
                        select e.order_id, l.account_code, l.currency, sum(l.amount_minor)
                        from journal_entries e join journal_lines l on l.entry_id = e.id
                        where e.order_id = any(:orders) group by 1, 2, 3
                        """)
                .param("orders", orders.stream().map(o -> o.id).toArray(String[]::new))
                .query(rs -> {
                    actual.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                            .put(rs.getString(2) + " " + rs.getString(3), rs.getLong(4));
                });
        int fullyRefundedFulfilled = 0;
        for (OrderModel o : orders) {
            Map<String, Long> account = actual.getOrDefault(o.id, Map.of());
            assertThat(account.keySet()).as("seed %d: order %s moves only its own currency", seed, o.id)
                    .allMatch(key -> key.endsWith(" " + o.currency));
            java.util.function.ToLongFunction<String> of = code -> account.getOrDefault(code + " " + o.currency, 0L);
            String as = "seed " + seed + ", order " + o.id + " " + o.currency;
            assertThat(of.applyAsLong(psp)).as(as).isEqualTo(o.captured - o.refunded - o.fees + o.feesReversed
                    - o.chargebacks + o.chargebacksReversed);
            assertThat(of.applyAsLong(PostingRules.ADVANCES)).as(as).isEqualTo(-o.held);
            assertThat(of.applyAsLong(PostingRules.PSP_FEES)).as(as).isEqualTo(o.fees - o.feesReversed);
            assertThat(of.applyAsLong(PostingRules.CHARGEBACKS)).as(as).isEqualTo(o.chargebacks - o.chargebacksReversed);
            long revenue = of.applyAsLong(PostingRules.SALES) + of.applyAsLong(PostingRules.SALES_RETURNS)
                    + of.applyAsLong(PostingRules.VAT_PAYABLE);
            if (o.fulfilled) {
                assertThat(of.applyAsLong(PostingRules.SALES)).as(as).isEqualTo(-(o.total - o.vat));
                assertThat(revenue).as(as + ": revenue and VAT less what refunds gave back")
                        .isEqualTo(-(o.total - o.returned));
                assertThat(of.applyAsLong(PostingRules.SALES_RETURNS)).as(as).isNotNegative();
                assertThat(of.applyAsLong(PostingRules.VAT_PAYABLE)).as(as + ": VAT payable less what refunds took back")
                        .isEqualTo(-(o.vat - o.vatReturned));
                assertThat(o.vatReturned).as(as + ": refunds never take back more VAT than the order had")
                        .isBetween(0L, o.vat);
            } else {
                assertThat(revenue).as(as + ": no revenue before fulfilment").isZero();
                assertThat(of.applyAsLong(PostingRules.ADVANCES)).as(as + ": advances are what is still captured")
                        .isEqualTo(-(o.captured - o.refunded));
            }
            if (o.refunded == o.captured) {
                assertThat(of.applyAsLong(PostingRules.ADVANCES)).as(as + ": fully refunded, no advance left").isZero();
                if (o.fulfilled) {
                    fullyRefundedFulfilled++;
                    assertThat(revenue).as(as + ": fully refunded, no revenue or VAT left").isZero();
                    assertThat(of.applyAsLong(PostingRules.VAT_PAYABLE))
                            .as(as + ": fully returned in however many parts, exactly the order's VAT came back")
                            .isZero();
                }
            }
        }
        System.out.printf("RandomizedLedgerTest: %d orders, %d fulfilled and fully refunded%n", orders.size(),
                fullyRefundedFulfilled);
        assertThat(fullyRefundedFulfilled).as("seed %d: the run exercises full refunds after fulfilment", seed)
                .isPositive();
    }

    /** An order's trail, step by step: customer advances never turn into money the customer owes us. */
    private void checkMoneyTrails(List<OrderModel> sample, String psp) {
        for (OrderModel o : sample) {
            List<Balances.TrailStep> trail = balances.moneyTrail(o.id);
            assertThat(trail).as("seed %d", seed).isNotEmpty();
            for (Balances.TrailStep step : trail) {
                assertThat(step.runningBalances().getOrDefault(PostingRules.ADVANCES, 0L))
                        .as("seed %d, order %s after %s", seed, o.id, step.entry().id()).isNotPositive();
            }
            Map<String, Long> last = trail.get(trail.size() - 1).runningBalances();
            for (String code : List.of(psp, PostingRules.ADVANCES, PostingRules.SALES, PostingRules.VAT_PAYABLE)) {
                assertThat(balances.orderAccountBalance(o.id, code, o.currency)).as("seed %d, order %s", seed, o.id)
                        .isEqualTo(last.getOrDefault(code, 0L));
            }
        }
    }

    private static Money money(long amountMinor, OrderModel order) {
        return Money.of(amountMinor, order.currency);
    }

    private static String source(NewEntry entry) {
        return entry.sourceType() + "\n" + entry.sourceId();
    }
}
