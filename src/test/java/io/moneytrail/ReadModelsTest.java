package io.moneytrail;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.ledger.BulkJournal;
import io.moneytrail.ledger.ChartOfAccounts;
import io.moneytrail.ledger.Journal;
import io.moneytrail.ledger.OrderLedgerBalances;
import io.moneytrail.ledger.Posting;
import io.moneytrail.ledger.PostingRules;
import io.moneytrail.money.Money;
import io.moneytrail.order.OrderBulkLoad;
import io.moneytrail.order.OrderBulkLoad.BulkOrder;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.order.OrderSummaries;
import io.moneytrail.order.OrderSummaries.OrderSummary;
import io.moneytrail.order.PaymentStatus;
import io.moneytrail.payment.PaymentBulkLoad;
import io.moneytrail.payment.PaymentBulkLoad.BulkPayment;
import io.moneytrail.payment.PaymentFacts;
import io.moneytrail.payment.PaymentFacts.CreatedOrderMoney;
import io.moneytrail.payment.PaymentFacts.OrderMoneyFacts;
import io.moneytrail.payment.PaymentState;
import io.moneytrail.testing.ApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The read models other modules use instead of another module's tables (see "Who owns which
 * table" in docs/how-it-works.md): pages of orders by creation time, an order's money facts and
 * its provider balance in the ledger, loaded through the owners' bulk loaders. Rows are created
 * far in the past, in a window of their own, so other test classes sharing the database do not
 * disturb them.
 */
class ReadModelsTest extends ApiTest {

    private static final String PROVIDER = "sandbox";

    @Autowired
    OrderBulkLoad orderLoad;
    @Autowired
    PaymentBulkLoad paymentLoad;
    @Autowired
    OrderSummaries orders;
    @Autowired
    PaymentFacts payments;
    @Autowired
    OrderLedgerBalances ledger;
    @Autowired
    BulkJournal journal;
    @Autowired
    Journal journalOne;
    @Autowired
    ChartOfAccounts chart;

    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    /**
     * Somewhere in the 1980s, a decade no other test posts in. It used to range over 1990–2001 and so
     * sometimes landed in 1991, the year {@code RandomizedLedgerTest} owns: its as-of balances then
     * counted this class's EUR capture (1,000) and refund (300) in {@code customer_advances}.
     */
    private final Instant base = Instant.parse("1980-01-01T00:00:00Z")
            .plus(Duration.ofHours(ThreadLocalRandom.current().nextLong(80_000)));

    @Test
    void pages_of_orders_created_in_a_period_come_in_creation_order_without_gaps_or_repeats() {
        List<BulkOrder> loaded = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // pairs share their creation instant: the id breaks the tie
            loaded.add(order("p" + i, 1_000, base.plus(Duration.ofMinutes(i / 2))));
        }
        BulkOrder before = order("before", 1_000, base.minusSeconds(1));
        BulkOrder atEnd = order("end", 1_000, base.plus(Duration.ofHours(1)));
        List<BulkOrder> all = new ArrayList<>(loaded);
        all.add(before);
        all.add(atEnd);
        assertThat(orderLoad.insert(all)).isEqualTo(9);

        List<String> paged = new ArrayList<>();
        OrderSummary after = null;
        while (true) {
            List<OrderSummary> page = orders.createdBetween(base, base.plus(Duration.ofHours(1)), after, 3);
            page.forEach(o -> paged.add(o.id()));
            if (page.size() < 3) {
                break;
            }
            after = page.get(page.size() - 1);
        }
        assertThat(paged).containsExactlyElementsOf(loaded.stream().map(BulkOrder::id).toList());

        OrderSummary first = orders.createdBetween(base, base.plusSeconds(1), null, 1).get(0);
        assertThat(first).isEqualTo(new OrderSummary(loaded.get(0).id(), base, OrderStatus.FULFILLED, "EUR", 1_000));
        assertThat(orders.createdBefore(List.of(before.id(), loaded.get(0).id(), atEnd.id()), base))
                .extracting(OrderSummary::id).containsExactly(before.id());
    }

    @Test
    void an_orders_money_facts_and_provider_balance_come_from_their_owners() {
        BulkOrder refunded = order("refunded", 1_000, base);
        BulkOrder declined = order("declined", 1_000, base);
        BulkOrder unpaid = order("unpaid", 1_000, base);
        orderLoad.insert(List.of(refunded, declined, unpaid));
        Instant captured = base.plusSeconds(60);
        PaymentBulkLoad.Loaded loaded = paymentLoad.insert(List.of(
                payment(refunded, "pi_r_" + tag, PaymentState.CAPTURED, 1_000, 300, captured),
                payment(declined, "pi_d_" + tag, PaymentState.FAILED, 0, 0, captured)));
        assertThat(loaded).isEqualTo(new PaymentBulkLoad.Loaded(2, 2));

        Map<String, OrderMoneyFacts> facts = payments.ofOrders(List.of(refunded.id(), declined.id(), unpaid.id()));
        assertThat(facts.get(refunded.id())).isEqualTo(new OrderMoneyFacts(refunded.id(), 1_000, 300,
                PaymentStatus.PARTIALLY_REFUNDED, "pi_r_" + tag));
        assertThat(facts.get(declined.id())).isEqualTo(new OrderMoneyFacts(declined.id(), 0, 0,
                PaymentStatus.UNPAID, "pi_d_" + tag));
        assertThat(facts.get(unpaid.id())).isEqualTo(new OrderMoneyFacts(unpaid.id(), 0, 0,
                PaymentStatus.UNPAID, null));
        assertThat(payments.ordersOfProviderPayments(List.of("pi_r_" + tag, "pi_d_" + tag, "pi_none_" + tag)))
                .containsExactlyInAnyOrder(refunded.id(), declined.id());
        assertThat(payments.settling(List.of(refunded.id(), declined.id(), unpaid.id()))).isEmpty();
        // the same facts streamed for the orders created in a period, in order of creation: an order that
        // never had a payment attempt is absent
        List<CreatedOrderMoney> streamed = new ArrayList<>();
        payments.createdBetween(base, base.plusSeconds(1), streamed::add);
        assertThat(streamed).containsExactlyInAnyOrder(
                new CreatedOrderMoney(refunded.id(), base, 1_000, 300, PaymentStatus.PARTIALLY_REFUNDED,
                        "pi_r_" + tag, false),
                new CreatedOrderMoney(declined.id(), base, 0, 0, PaymentStatus.UNPAID, "pi_d_" + tag, false));
        assertThat(orders.countCreatedBetween(base, base.plusSeconds(1))).isEqualTo(3);

        chart.provider(PROVIDER);
        journal.post(List.of(
                PostingRules.capture("txn_c_" + refunded.id(), refunded.id(), PROVIDER, Money.of(1_000, "EUR"), captured),
                PostingRules.refundBeforeFulfilment("txn_r_" + refunded.id(), refunded.id(), PROVIDER,
                        Money.of(300, "EUR"), captured.plusSeconds(60)),
                PostingRules.providerFee("fee_" + refunded.id(), refunded.id(), PROVIDER, Money.of(50, "EUR"),
                        captured.plusSeconds(120))));
        List<String> ids = List.of(refunded.id(), declined.id(), unpaid.id());
        assertThat(ledger.providerBalances(ids, List.of(PostingRules.SOURCE_FEE)))
                .isEqualTo(Map.of(refunded.id(), Map.of("EUR", 700L)));
        assertThat(ledger.providerBalances(ids, List.of())).isEqualTo(Map.of(refunded.id(), Map.of("EUR", 650L)));
    }

    /**
     * Issue 14 "Speed": the run reads a period's ledger balances as one range by the creation instant
     * of the entries' orders (V36). It finds what the lookup by id finds for the same orders: an order's
     * entries whenever they were posted (a refund after the period's end), none of an order created
     * just before the period although its entries fall inside it, entries whose poster gave the
     * order's creation instant and entries whose poster did not (the journal and the bulk path look
     * it up; a reversal takes the reversed entry's), fees and other sources left out, and an order
     * with lines in two currencies.
     */
    @Test
    void a_periods_provider_balances_read_as_one_range_by_order_creation_equal_the_lookups_by_id() {
        Instant end = base.plus(Duration.ofHours(1));
        BulkOrder refundedLate = order("late", 1_000, base.plusSeconds(600));
        BulkOrder tied = order("tied", 2_000, base.plusSeconds(600)); // the same instant as refundedLate
        BulkOrder early = order("early", 1_000, base.minusMillis(1)); // created just before the period
        BulkOrder lookedUp = order("lookup", 3_000, base.plusSeconds(1_200));
        BulkOrder bulkLookedUp = order("bulk", 4_000, base.plusSeconds(1_800));
        BulkOrder unpaid = order("nopsp", 5_000, base.plusSeconds(2_400));
        BulkOrder atEnd = order("atend", 1_000, end); // the period is [from, to)
        orderLoad.insert(List.of(refundedLate, tied, early, lookedUp, bulkLookedUp, unpaid, atEnd));
        chart.provider(PROVIDER);
        String psp = PostingRules.psp(PROVIDER);
        journal.post(List.of(
                PostingRules.capture("txn_c_" + refundedLate.id(), refundedLate.id(), PROVIDER, Money.of(1_000, "EUR"),
                        base.plusSeconds(660)).withOrderCreatedAt(refundedLate.createdAt()),
                // the refund is posted after the period's end: it still counts for the order
                PostingRules.refundBeforeFulfilment("txn_r_" + refundedLate.id(), refundedLate.id(), PROVIDER,
                        Money.of(400, "EUR"), end.plus(Duration.ofDays(3))).withOrderCreatedAt(refundedLate.createdAt()),
                PostingRules.providerFee("fee_" + refundedLate.id(), refundedLate.id(), PROVIDER, Money.of(30, "EUR"),
                        end.plus(Duration.ofDays(4))).withOrderCreatedAt(refundedLate.createdAt()),
                PostingRules.capture("txn_c_" + tied.id(), tied.id(), PROVIDER, Money.of(2_000, "EUR"),
                        base.plusSeconds(700)).withOrderCreatedAt(tied.createdAt()),
                // inside the period, but the order was created before it
                PostingRules.capture("txn_c_" + early.id(), early.id(), PROVIDER, Money.of(1_000, "EUR"),
                        base.plusSeconds(300)).withOrderCreatedAt(early.createdAt()),
                PostingRules.capture("txn_c_" + atEnd.id(), atEnd.id(), PROVIDER, Money.of(1_000, "EUR"),
                        end.plusSeconds(60)).withOrderCreatedAt(atEnd.createdAt()),
                // no creation instant given: the bulk path looks it up
                PostingRules.capture("txn_c_" + bulkLookedUp.id(), bulkLookedUp.id(), PROVIDER,
                        Money.of(4_000, "EUR"), base.plusSeconds(1_860))));
        // one at a time, without the creation instant: the journal looks it up; the reversal takes the reversed entry's
        journalOne.post(PostingRules.capture("txn_c_" + lookedUp.id(), lookedUp.id(), PROVIDER, Money.of(3_000, "EUR"),
                base.plusSeconds(1_260)));
        var adjusted = journalOne.post(PostingRules.adjustment("adj_" + tag, lookedUp.id(), List.of(
                        Posting.debit(psp, Money.of(70, "USD")), Posting.credit("expenses:adjustments", Money.of(70, "USD"))),
                "tester", "a second currency", end.plus(Duration.ofDays(1))));
        journalOne.post(PostingRules.adjustment("adj2_" + tag, lookedUp.id(), List.of(
                        Posting.debit(psp, Money.of(5, "EUR")), Posting.credit("expenses:adjustments", Money.of(5, "EUR"))),
                "tester", "to be reversed", end.plus(Duration.ofDays(1))));
        journalOne.reverse(journalOne.bySource(PostingRules.SOURCE_ADJUSTMENT, "adj2_" + tag).orElseThrow().id(),
                "tester", "entered by mistake");
        assertThat(adjusted.orderId()).isEqualTo(lookedUp.id());

        List<String> excluded = List.of(PostingRules.SOURCE_FEE, PostingRules.SOURCE_PAYOUT,
                PostingRules.SOURCE_CHARGEBACK, PostingRules.SOURCE_CHARGEBACK_REVERSAL);
        List<OrderLedgerBalances.CreatedOrderBalance> streamed = new ArrayList<>();
        ledger.providerBalancesCreatedBetween(base, end, excluded, streamed::add);

        List<String> inPeriod = List.of(refundedLate.id(), tied.id(), lookedUp.id(), bulkLookedUp.id(), unpaid.id());
        Map<String, Map<String, Long>> byId = ledger.providerBalances(inPeriod, excluded);
        Map<String, Map<String, Long>> ranged = new java.util.HashMap<>();
        streamed.forEach(b -> assertThat(ranged.put(b.orderId(), b.byCurrency())).as("one row per order").isNull());
        assertThat(ranged).isEqualTo(byId);
        assertThat(ranged).isEqualTo(Map.of(
                refundedLate.id(), Map.of("EUR", 600L),
                tied.id(), Map.of("EUR", 2_000L),
                lookedUp.id(), Map.of("EUR", 3_000L, "USD", 70L),
                bulkLookedUp.id(), Map.of("EUR", 4_000L)));
        assertThat(streamed).extracting(OrderLedgerBalances.CreatedOrderBalance::orderCreatedAt)
                .isSorted()
                .containsExactlyInAnyOrder(refundedLate.createdAt(), tied.createdAt(), lookedUp.createdAt(),
                        bulkLookedUp.createdAt());
        // the early order's balance is found by id, not in the period's range
        assertThat(ledger.providerBalances(List.of(early.id()), excluded)).isEqualTo(Map.of(early.id(), Map.of("EUR", 1_000L)));
        // without exclusions the fee counts, in both reads alike
        List<OrderLedgerBalances.CreatedOrderBalance> all = new ArrayList<>();
        ledger.providerBalancesCreatedBetween(base, end, List.of(), all::add);
        assertThat(all).filteredOn(b -> b.orderId().equals(refundedLate.id()))
                .extracting(OrderLedgerBalances.CreatedOrderBalance::byCurrency)
                .containsExactly(ledger.providerBalances(List.of(refundedLate.id()), List.of()).get(refundedLate.id()));
        assertThat(ledger.providerBalances(List.of(refundedLate.id()), List.of()).get(refundedLate.id()))
                .isEqualTo(Map.of("EUR", 570L));
    }

    private BulkOrder order(String name, long total, Instant created) {
        return new BulkOrder("ord_rm_" + tag + "_" + name, "rm-" + tag, Money.of(total, "EUR"), OrderStatus.FULFILLED,
                created, "RM", "Read model test");
    }

    private static BulkPayment payment(BulkOrder order, String providerId, PaymentState state, long captured,
                                       long refunded, Instant at) {
        return new BulkPayment("pay_" + order.id(), order.id(), PROVIDER, providerId, state, order.total(),
                order.createdAt(), "txn_c_" + order.id(), captured, at, "txn_r_" + order.id(), "refund:" + providerId,
                refunded, at.plusSeconds(60));
    }
}
