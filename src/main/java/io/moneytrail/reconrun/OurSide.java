package io.moneytrail.reconrun;

import io.moneytrail.ledger.OrderLedgerBalances;
import io.moneytrail.ledger.PostingRules;
import io.moneytrail.order.OrderSummaries;
import io.moneytrail.order.OrderSummaries.OrderSummary;
import io.moneytrail.order.PaymentStatus;
import io.moneytrail.payment.PaymentFacts;
import io.moneytrail.payment.PaymentFacts.OrderMoneyFacts;
import io.moneytrail.reconciliation.Discrepancy;
import io.moneytrail.reconciliation.DiscrepancyClass;
import io.moneytrail.reconciliation.StoreOrder;
import io.moneytrail.reconciliation.StoreOrderStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Our side of a run, read through the owners' read models (this module owns only the
 * {@code recon_*} tables): the orders ({@link OrderSummaries}) with their money facts
 * ({@link PaymentFacts}) as the default order export, so the provider and bank legs run through
 * the very engine of the file-only audit; and the internal leg (order vs payments vs ledger,
 * with {@link OrderLedgerBalances}), which needs the ledger and is checked here. Orders are read
 * in keyset pages of {@value #PAGE}, each page's facts looked up set-wise by id, in one pass that
 * feeds the engine and checks the internal leg together.
 */
@Component
class OurSide {

    /** Journal sources that move an order's provider balance for reasons other than its captures and refunds. */
    private static final List<String> OTHER_PSP_SOURCES = List.of(PostingRules.SOURCE_FEE, PostingRules.SOURCE_PAYOUT,
            PostingRules.SOURCE_CHARGEBACK, PostingRules.SOURCE_CHARGEBACK_REVERSAL);
    /** Orders per keyset page: the most the read models take per lookup. */
    static final int PAGE = 5_000;

    private final OrderSummaries orders;
    private final PaymentFacts payments;
    private final OrderLedgerBalances ledger;

    OurSide(OrderSummaries orders, PaymentFacts payments, OrderLedgerBalances ledger) {
        this.orders = orders;
        this.payments = payments;
        this.ledger = ledger;
    }

    private static List<String> ids(List<OrderSummary> page) {
        return page.stream().map(OrderSummary::id).toList();
    }

    /** One of our orders as the audit engine takes it (as the default order export would give it). */
    static StoreOrder storeOrder(OrderSummary order, OrderMoneyFacts money, long line) {
        long captured = money == null ? 0 : money.amountCaptured();
        long refunded = money == null ? 0 : Math.min(money.amountRefunded(), captured);
        String paymentStatus = money == null ? PaymentStatus.UNPAID.wire() : money.paymentStatus().wire();
        String status = status(order.status().wire(), paymentStatus);
        return new StoreOrder(order.id(), order.createdAt(), StoreOrderStatus.parse(status).orElseThrow(),
                order.currency(), order.amountTotal(), captured, refunded,
                money == null ? null : money.providerReference(), line);
    }

    /**
     * One pass over the orders created in [from, to), a keyset page at a time: each page's money
     * facts, refunds and compensations in flight and ledger balances are looked up once, set-wise;
     * the internal leg is checked on them; and, when {@code engine} is given, every order is handed
     * on as the audit's {@link StoreOrder} (no export file is written and parsed again). Memory: a
     * page at a time, plus the internal leg's findings.
     */
    Internal pass(Instant from, Instant to, Consumer<StoreOrder> engine) {
        List<Discrepancy> found = new ArrayList<>();
        Set<String> settling = new HashSet<>();
        long checked = 0;
        // a pipeline: the next page and its lookups are read while this one is checked and fed to the engine,
        // and a page's ledger balances while its money facts are read
        ExecutorService pagesAhead = Executors.newSingleThreadExecutor(daemon("recon-our-side-pages"));
        ExecutorService lookups = Executors.newSingleThreadExecutor(daemon("recon-our-side-lookups"));
        try {
            CompletableFuture<PageData> next = CompletableFuture.supplyAsync(() -> load(from, to, null, lookups),
                    pagesAhead);
            while (true) {
                PageData data = join(next);
                List<OrderSummary> page = data.page();
                if (page.size() == PAGE) {
                    OrderSummary last = page.get(page.size() - 1);
                    next = CompletableFuture.supplyAsync(() -> load(from, to, last, lookups), pagesAhead);
                }
                for (OrderSummary o : page) {
                    checked++;
                    OrderMoneyFacts money = data.facts().get(o.id());
                    if (engine != null) {
                        engine.accept(storeOrder(o, money, checked + 1));
                    }
                    internal(o, money, data.inFlight().contains(o.id()), data.balances().get(o.id()), found, settling);
                }
                if (page.size() < PAGE) {
                    break;
                }
            }
        } finally {
            pagesAhead.shutdownNow();
            lookups.shutdownNow();
        }
        return new Internal(found, checked, settling);
    }

    /** One keyset page of orders and everything the pass needs about them. */
    private record PageData(List<OrderSummary> page, Map<String, OrderMoneyFacts> facts, Set<String> inFlight,
                            Map<String, Map<String, Long>> balances) {
    }

    private PageData load(Instant from, Instant to, OrderSummary after, ExecutorService lookups) {
        List<OrderSummary> page = orders.createdBetween(from, to, after, PAGE);
        if (page.isEmpty()) {
            return new PageData(page, Map.of(), Set.of(), Map.of());
        }
        List<String> ids = ids(page);
        CompletableFuture<Map<String, Map<String, Long>>> balances = CompletableFuture.supplyAsync(
                () -> ledger.providerBalances(ids, OTHER_PSP_SOURCES), lookups);
        Map<String, OrderMoneyFacts> facts = payments.ofOrders(ids);
        Set<String> inFlight = payments.settling(ids);
        return new PageData(page, facts, inFlight, join(balances));
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Hands on the orders created before {@code before} that own these provider payment ids (charged
     * or refunded in the report, created before the period). Returns how many.
     */
    long earlier(Collection<String> providerPaymentIds, Instant before, Consumer<StoreOrder> engine, long firstLine) {
        List<String> ids = new ArrayList<>(providerPaymentIds);
        long given = 0;
        for (int start = 0; start < ids.size(); start += PAGE) {
            List<String> chunk = ids.subList(start, Math.min(ids.size(), start + PAGE));
            List<OrderSummary> found = orders.createdBefore(payments.ordersOfProviderPayments(chunk), before);
            Map<String, OrderMoneyFacts> facts = payments.ofOrders(ids(found));
            for (OrderSummary order : found) {
                engine.accept(storeOrder(order, facts.get(order.id()), firstLine + given));
                given++;
            }
        }
        return given;
    }

    /** The internal leg of one order (see {@link #pass}). */
    private static void internal(OrderSummary o, OrderMoneyFacts money, boolean settlingNow, Map<String, Long> balance,
                                 List<Discrepancy> found, Set<String> settling) {
        String order = o.id();
        String status = o.status().wire();
        String currency = o.currency();
        long held = money == null ? 0 : money.amountCaptured() - money.amountRefunded();
        long psp = balance == null ? 0 : balance.getOrDefault(currency, 0L);
        if (settlingNow) {
            settling.add(order);
        }
        if (held > 0 && ("cancelled".equals(status) || "expired".equals(status)) && !settlingNow) {
            found.add(new Discrepancy(DiscrepancyClass.CAPTURED_ON_CANCELLED_ORDER, order, null, null, null,
                    null, null, currency, held, 0L, null, "ledger_by_order",
                    "order is " + status + " but holds " + held + " minor units of captured money with no"
                            + " refund or compensation in flight", "database"));
        }
        if (psp != held) {
            found.add(new Discrepancy(DiscrepancyClass.LEDGER_DISAGREES_WITH_DERIVED_STATUS, order, null,
                    null, null, null, null, currency, held, psp, null, "ledger_by_order",
                    "captured - refunded is " + held + " minor units but the order's provider balance in"
                            + " the ledger is " + psp, "database"));
        }
    }

    /** Our order status and derived payment status, as one of the audit's store statuses. */
    static String status(String orderStatus, String paymentStatus) {
        switch (orderStatus) {
            case "cancelled":
            case "expired":
                return "cancelled";
            case "fulfilled":
                return "fulfilled";
            default:
                break;
        }
        switch (paymentStatus) {
            case "authorized":
                return "authorized";
            case "partially_paid":
                return "partially_paid";
            case "paid":
            case "overpaid":
                return "paid";
            case "partially_refunded":
                return "partially_refunded";
            case "refunded":
                return "refunded";
            default:
                return "pending"; // unpaid, pending
        }
    }

    /** Result of the internal leg: its discrepancies and how many orders it checked. */
    record Internal(List<Discrepancy> discrepancies, long ordersChecked, Set<String> ordersSettling) {
    }

}
