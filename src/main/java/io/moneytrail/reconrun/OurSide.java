package io.moneytrail.reconrun;

import io.moneytrail.ledger.OrderLedgerBalances;
import io.moneytrail.ledger.OrderLedgerBalances.CreatedOrderBalance;
import io.moneytrail.ledger.PostingRules;
import io.moneytrail.order.OrderSummaries;
import io.moneytrail.order.OrderSummaries.OrderSummary;
import io.moneytrail.order.PaymentStatus;
import io.moneytrail.payment.PaymentFacts;
import io.moneytrail.payment.PaymentFacts.CreatedOrderMoney;
import io.moneytrail.payment.PaymentFacts.OrderMoneyFacts;
import io.moneytrail.reconciliation.Discrepancy;
import io.moneytrail.reconciliation.DiscrepancyClass;
import io.moneytrail.reconciliation.StoreOrder;
import io.moneytrail.reconciliation.StoreOrderStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * Our side of a run, read through the owners' read models (this module owns only the
 * {@code recon_*} tables): the orders ({@link OrderSummaries}) with their money facts
 * ({@link PaymentFacts}) as the default order export, so the provider and bank legs run through
 * the very engine of the file-only audit; and the internal leg (order vs payments vs ledger,
 * with {@link OrderLedgerBalances}), which needs the ledger and is checked here. Orders are read
 * in keyset pages of {@value #PAGE}, beside two streams in the same order of creation, the period's
 * money facts and the period's ledger balances, in one pass that feeds the engine and checks the
 * internal leg together; no order is looked up by id.
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

    /** How many orders were created in [from, to): what the engine sizes its indexes for. */
    long count(Instant from, Instant to) {
        return orders.countCreatedBetween(from, to);
    }

    /** One of our orders as the audit engine takes it (as the default order export would give it). */
    static StoreOrder storeOrder(OrderSummary order, CreatedOrderMoney money, long line) {
        long captured = money == null ? 0 : money.amountCaptured();
        long refunded = money == null ? 0 : Math.min(money.amountRefunded(), captured);
        long chargedBack = money == null ? 0 : money.amountChargedBack();
        String paymentStatus = money == null ? PaymentStatus.UNPAID.wire() : money.paymentStatus().wire();
        String status = status(order.status().wire(), paymentStatus);
        return new StoreOrder(order.id(), order.createdAt(), StoreOrderStatus.parse(status).orElseThrow(),
                order.currency(), order.amountTotal(), captured, refunded, chargedBack,
                money == null ? null : money.providerReference(), line);
    }

    /**
     * One pass over the orders created in [from, to): the orders a keyset page at a time, and beside
     * them two statements streamed in the same order of creation: the period's money facts (with what
     * is settling) and the period's ledger balances (by the creation instant of the entries' orders,
     * so no order is looked up by id); the internal leg is checked on them; and, when {@code engine}
     * is given, every order is handed on as the audit's {@link StoreOrder} (no export file is written
     * and parsed again). Memory: a page at a time and a few batches of each stream, plus the internal
     * leg's findings.
     */
    Internal pass(Instant from, Instant to, Consumer<StoreOrder> engine) {
        List<Discrepancy> found = new ArrayList<>();
        Set<String> settling = new HashSet<>();
        long checked = 0;
        // a pipeline: the next page is read while this one is checked and fed to the engine, and the money
        // facts and the ledger balances stream in on threads of their own
        ExecutorService pagesAhead = Executors.newSingleThreadExecutor(daemon("recon-our-side-pages"));
        CreatedStream<CreatedOrderMoney> money = new CreatedStream<>("recon-our-side-money",
                each -> payments.createdBetween(from, to, each), CreatedOrderMoney::orderCreatedAt,
                CreatedOrderMoney::orderId);
        CreatedStream<CreatedOrderBalance> balances;
        try {
            balances = new CreatedStream<>("recon-our-side-ledger",
                    each -> ledger.providerBalancesCreatedBetween(from, to, OTHER_PSP_SOURCES, each),
                    CreatedOrderBalance::orderCreatedAt, CreatedOrderBalance::orderId);
        } catch (RuntimeException | Error e) {
            money.close();
            pagesAhead.shutdownNow();
            throw e;
        }
        try {
            CompletableFuture<List<OrderSummary>> next =
                    CompletableFuture.supplyAsync(() -> orders.createdBetween(from, to, null, PAGE), pagesAhead);
            while (true) {
                List<OrderSummary> page = join(next);
                if (page.size() == PAGE) {
                    OrderSummary last = page.get(page.size() - 1);
                    next = CompletableFuture.supplyAsync(() -> orders.createdBetween(from, to, last, PAGE), pagesAhead);
                }
                for (OrderSummary o : page) {
                    checked++;
                    CreatedOrderMoney facts = money.of(o);
                    if (engine != null) {
                        engine.accept(storeOrder(o, facts, checked + 1));
                    }
                    CreatedOrderBalance balance = balances.of(o);
                    internal(o, facts, balance == null ? null : balance.byCurrency(), found, settling);
                }
                if (page.size() < PAGE) {
                    break;
                }
            }
        } finally {
            pagesAhead.shutdownNow();
            money.close();
            balances.close();
        }
        return new Internal(found, checked, settling);
    }

    /**
     * A statement of per-order rows in the orders' order of creation ({@link PaymentFacts#createdBetween},
     * {@link OrderLedgerBalances#providerBalancesCreatedBetween}), read by a thread of its own into a few
     * batches ahead, and matched to the orders as they come in the same order of creation: the rows of
     * one creation instant are held together, as orders of equal instants may come in another order
     * (only the instant is compared, never ids, so no collation is assumed).
     */
    static final class CreatedStream<T> implements AutoCloseable {

        private static final int BATCH = 2_000;
        private static final int BATCHES_AHEAD = 8;

        private final List<T> end = new ArrayList<>(0);
        private final BlockingQueue<List<T>> batches = new ArrayBlockingQueue<>(BATCHES_AHEAD);
        private final Function<T, Instant> createdAt;
        private final Function<T, String> orderId;
        private final Thread reader;
        private volatile RuntimeException failure;
        private volatile boolean closed;
        private List<T> batch = new ArrayList<>();
        private int next;
        private boolean ended;
        private Instant groupAt;
        private final Map<String, T> group = new HashMap<>();

        /**
         * @param source    runs the statement, handing each row on in order of creation
         * @param createdAt a row's order creation instant
         * @param orderId   a row's order
         */
        CreatedStream(String name, Consumer<Consumer<T>> source, Function<T, Instant> createdAt,
                      Function<T, String> orderId) {
            this.createdAt = createdAt;
            this.orderId = orderId;
            reader = new Thread(() -> {
                try {
                    List<List<T>> holder = new ArrayList<>(List.of(new ArrayList<>(BATCH)));
                    source.accept(row -> {
                        List<T> current = holder.get(0);
                        current.add(row);
                        if (current.size() == BATCH) {
                            put(current);
                            holder.set(0, new ArrayList<>(BATCH));
                        }
                    });
                    put(holder.get(0));
                } catch (RuntimeException e) {
                    failure = e;
                } finally {
                    try {
                        put(end);
                    } catch (RuntimeException ignored) {
                        // closed: nobody reads any more
                    }
                }
            }, name);
            reader.setDaemon(true);
            reader.start();
        }

        private void put(List<T> items) {
            try {
                while (!closed) {
                    if (batches.offer(items, 100, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
                throw new IllegalStateException("the pass stopped reading " + reader.getName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading " + reader.getName(), e);
            }
        }

        /** This order's row (null: the statement has none for it); orders come in order of creation. */
        T of(OrderSummary order) {
            Instant at = order.createdAt();
            if (!at.equals(groupAt)) {
                group.clear();
                groupAt = at;
                T row;
                while ((row = peek()) != null && createdAt.apply(row).isBefore(at)) {
                    next++; // an order that came into being after its page was read: not in this pass
                }
                while ((row = peek()) != null && createdAt.apply(row).equals(at)) {
                    group.put(orderId.apply(row), row);
                    next++;
                }
            }
            return group.get(order.id());
        }

        private T peek() {
            while (next >= batch.size()) {
                if (ended) {
                    return null;
                }
                try {
                    batch = batches.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading " + reader.getName(), e);
                }
                next = 0;
                if (batch == end) {
                    ended = true;
                    if (failure != null) {
                        throw failure;
                    }
                    return null;
                }
            }
            return batch.get(next);
        }

        @Override
        public void close() {
            closed = true;
            batches.clear();
        }
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
                OrderMoneyFacts money = facts.get(order.id());
                engine.accept(storeOrder(order, money == null ? null : new CreatedOrderMoney(order.id(),
                        order.createdAt(), money.amountCaptured(), money.amountRefunded(), money.amountChargedBack(),
                        money.paymentStatus(), money.providerReference(), false), firstLine + given));
                given++;
            }
        }
        return given;
    }

    /** The internal leg of one order (see {@link #pass}). */
    private static void internal(OrderSummary o, CreatedOrderMoney money, Map<String, Long> balance,
                                 List<Discrepancy> found, Set<String> settling) {
        boolean settlingNow = money != null && money.settling();
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
