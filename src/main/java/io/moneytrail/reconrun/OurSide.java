package io.moneytrail.reconrun;

import io.moneytrail.ledger.OrderLedgerBalances;
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
import org.springframework.stereotype.Component;

/**
 * Our side of a run, read through the owners' read models (this module owns only the
 * {@code recon_*} tables): the orders ({@link OrderSummaries}) with their money facts
 * ({@link PaymentFacts}) as the default order export, so the provider and bank legs run through
 * the very engine of the file-only audit; and the internal leg (order vs payments vs ledger,
 * with {@link OrderLedgerBalances}), which needs the ledger and is checked here. Orders are read
 * in keyset pages of {@value #PAGE}, each page's ledger balances looked up set-wise by id, beside
 * one stream of the period's money facts in the same order of creation, in one pass that feeds the
 * engine and checks the internal leg together.
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
        String paymentStatus = money == null ? PaymentStatus.UNPAID.wire() : money.paymentStatus().wire();
        String status = status(order.status().wire(), paymentStatus);
        return new StoreOrder(order.id(), order.createdAt(), StoreOrderStatus.parse(status).orElseThrow(),
                order.currency(), order.amountTotal(), captured, refunded,
                money == null ? null : money.providerReference(), line);
    }

    /**
     * One pass over the orders created in [from, to): the orders a keyset page at a time, each
     * page's ledger balances looked up once, set-wise, and the period's money facts (with what is
     * settling) from one statement streamed beside them in the same order of creation; the internal
     * leg is checked on them; and, when {@code engine} is given, every order is handed on as the
     * audit's {@link StoreOrder} (no export file is written and parsed again). Memory: a page at a
     * time and a few batches of money facts, plus the internal leg's findings.
     */
    Internal pass(Instant from, Instant to, Consumer<StoreOrder> engine) {
        List<Discrepancy> found = new ArrayList<>();
        Set<String> settling = new HashSet<>();
        long checked = 0;
        // a pipeline: the next page and its ledger balances are read while this one is checked and fed to the
        // engine, and the money facts stream in on a thread of their own
        ExecutorService pagesAhead = Executors.newSingleThreadExecutor(daemon("recon-our-side-pages"));
        MoneyStream money = new MoneyStream(payments, from, to);
        try {
            CompletableFuture<PageData> next = CompletableFuture.supplyAsync(() -> load(from, to, null), pagesAhead);
            while (true) {
                PageData data = join(next);
                List<OrderSummary> page = data.page();
                if (page.size() == PAGE) {
                    OrderSummary last = page.get(page.size() - 1);
                    next = CompletableFuture.supplyAsync(() -> load(from, to, last), pagesAhead);
                }
                for (OrderSummary o : page) {
                    checked++;
                    CreatedOrderMoney facts = money.of(o);
                    if (engine != null) {
                        engine.accept(storeOrder(o, facts, checked + 1));
                    }
                    internal(o, facts, data.balances().get(o.id()), found, settling);
                }
                if (page.size() < PAGE) {
                    break;
                }
            }
        } finally {
            pagesAhead.shutdownNow();
            money.close();
        }
        return new Internal(found, checked, settling);
    }

    /** One keyset page of orders and their ledger balances. */
    private record PageData(List<OrderSummary> page, Map<String, Map<String, Long>> balances) {
    }

    private PageData load(Instant from, Instant to, OrderSummary after) {
        List<OrderSummary> page = orders.createdBetween(from, to, after, PAGE);
        if (page.isEmpty()) {
            return new PageData(page, Map.of());
        }
        return new PageData(page, ledger.providerBalances(ids(page), OTHER_PSP_SOURCES));
    }

    /**
     * The period's money facts ({@link PaymentFacts#createdBetween}), read by a thread of their own
     * into a few batches ahead, and matched to the orders as they come in the same order of creation:
     * the facts of one creation instant are held together, as orders of equal instants may come in
     * another order (only the instant is compared, never ids, so no collation is assumed).
     */
    static final class MoneyStream implements AutoCloseable {

        private static final int BATCH = 2_000;
        private static final int BATCHES_AHEAD = 8;
        private static final List<CreatedOrderMoney> END = List.of();

        private final BlockingQueue<List<CreatedOrderMoney>> batches = new ArrayBlockingQueue<>(BATCHES_AHEAD);
        private final Thread reader;
        private volatile RuntimeException failure;
        private volatile boolean closed;
        private List<CreatedOrderMoney> batch = new ArrayList<>();
        private int next;
        private boolean ended;
        private Instant groupAt;
        private final Map<String, CreatedOrderMoney> group = new HashMap<>();

        MoneyStream(PaymentFacts payments, Instant from, Instant to) {
            reader = new Thread(() -> {
                List<CreatedOrderMoney> filling = new ArrayList<>(BATCH);
                try {
                    List<List<CreatedOrderMoney>> holder = new ArrayList<>(List.of(filling));
                    payments.createdBetween(from, to, facts -> {
                        List<CreatedOrderMoney> current = holder.get(0);
                        current.add(facts);
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
                        put(END);
                    } catch (RuntimeException ignored) {
                        // closed: nobody reads any more
                    }
                }
            }, "recon-our-side-money");
            reader.setDaemon(true);
            reader.start();
        }

        private void put(List<CreatedOrderMoney> items) {
            try {
                while (!closed) {
                    if (batches.offer(items, 100, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
                throw new IllegalStateException("the pass stopped reading money facts");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading money facts", e);
            }
        }

        /** The money facts of this order (null: it never had a payment attempt); orders come in order of creation. */
        CreatedOrderMoney of(OrderSummary order) {
            Instant at = order.createdAt();
            if (!at.equals(groupAt)) {
                group.clear();
                groupAt = at;
                CreatedOrderMoney facts;
                while ((facts = peek()) != null && facts.orderCreatedAt().isBefore(at)) {
                    next++; // an order that came into being after its page was read: not in this pass
                }
                while ((facts = peek()) != null && facts.orderCreatedAt().equals(at)) {
                    group.put(facts.orderId(), facts);
                    next++;
                }
            }
            return group.get(order.id());
        }

        private CreatedOrderMoney peek() {
            while (next >= batch.size()) {
                if (ended) {
                    return null;
                }
                try {
                    batch = batches.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading money facts", e);
                }
                next = 0;
                if (batch == END) {
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
                        order.createdAt(), money.amountCaptured(), money.amountRefunded(), money.paymentStatus(),
                        money.providerReference(), false), firstLine + given));
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
