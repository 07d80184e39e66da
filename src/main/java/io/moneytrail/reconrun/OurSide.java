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
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Our side of a run, read through the owners' read models (this module owns only the
 * {@code recon_*} tables): the orders ({@link OrderSummaries}) with their money facts
 * ({@link PaymentFacts}) as the default order export, so the provider and bank legs run through
 * the very engine of the file-only audit; and the internal leg (order vs payments vs ledger,
 * with {@link OrderLedgerBalances}), which needs the ledger and is checked here. Orders are read
 * in keyset pages of {@value #PAGE} and each page's facts are looked up by id.
 */
@Component
class OurSide {

    static final String EXPORT_HEADER =
            "order_id,created_at,status,currency,amount_total,amount_paid,amount_refunded,payment_reference";
    /** Journal sources that move an order's provider balance for reasons other than its captures and refunds. */
    private static final List<String> OTHER_PSP_SOURCES = List.of(PostingRules.SOURCE_FEE, PostingRules.SOURCE_PAYOUT,
            PostingRules.SOURCE_CHARGEBACK, PostingRules.SOURCE_CHARGEBACK_REVERSAL);
    static final int PAGE = 2_000;

    private final OrderSummaries orders;
    private final PaymentFacts payments;
    private final OrderLedgerBalances ledger;

    OurSide(OrderSummaries orders, PaymentFacts payments, OrderLedgerBalances ledger) {
        this.orders = orders;
        this.payments = payments;
        this.ledger = ledger;
    }

    /** Calls {@code each} with every page of the orders created in [from, to), in (created_at, id) order. */
    private void pages(Instant from, Instant to, Consumer<List<OrderSummary>> each) {
        OrderSummary after = null;
        while (true) {
            List<OrderSummary> page = orders.createdBetween(from, to, after, PAGE);
            if (page.isEmpty()) {
                return;
            }
            each.accept(page);
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1);
        }
    }

    private static List<String> ids(List<OrderSummary> page) {
        return page.stream().map(OrderSummary::id).toList();
    }

    /**
     * Writes the orders created in [from, to) (plus those whose provider payment id is in
     * {@code alsoPayments}: charged in the report, created before the period) as the default
     * order export. Returns how many were written.
     */
    long writeOrders(Instant from, Instant to, Collection<String> alsoPayments, Path file) {
        Set<String> written = new HashSet<>();
        long[] count = {0};
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            out.write(EXPORT_HEADER);
            out.write('\n');
            pages(from, to, page -> {
                Map<String, OrderMoneyFacts> facts = payments.ofOrders(ids(page));
                for (OrderSummary order : page) {
                    write(out, order, facts.get(order.id()));
                    written.add(order.id());
                    count[0]++;
                }
            });
            List<String> ids = new ArrayList<>(alsoPayments);
            for (int start = 0; start < ids.size(); start += PAGE) {
                List<String> chunk = ids.subList(start, Math.min(ids.size(), start + PAGE));
                List<OrderSummary> earlier = orders.createdBefore(payments.ordersOfProviderPayments(chunk), from);
                Map<String, OrderMoneyFacts> facts = payments.ofOrders(ids(earlier));
                for (OrderSummary order : earlier) {
                    if (written.add(order.id())) {
                        write(out, order, facts.get(order.id()));
                        count[0]++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the order export " + file, e);
        }
        return count[0];
    }

    private static void write(Writer out, OrderSummary order, OrderMoneyFacts money) {
        String currency = order.currency();
        int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        long captured = money == null ? 0 : money.amountCaptured();
        long refunded = money == null ? 0 : Math.min(money.amountRefunded(), captured);
        String reference = money == null ? null : money.providerReference();
        String paymentStatus = money == null ? PaymentStatus.UNPAID.wire() : money.paymentStatus().wire();
        try {
            out.write(order.id() + "," + order.createdAt() + ","
                    + status(order.status().wire(), paymentStatus) + "," + currency + ","
                    + BigDecimal.valueOf(order.amountTotal(), digits).toPlainString() + ","
                    + BigDecimal.valueOf(captured, digits).toPlainString() + ","
                    + BigDecimal.valueOf(refunded, digits).toPlainString() + ","
                    + (reference == null ? "" : reference) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /**
     * The internal leg over orders created in [from, to): an order's provider balance in the
     * ledger must equal captured - refunded, and a cancelled or expired order must not hold
     * captured money unless a refund or a compensation is in flight.
     */
    Internal internalLeg(Instant from, Instant to) {
        List<Discrepancy> found = new ArrayList<>();
        Set<String> settling = new HashSet<>();
        long[] checked = {0};
        pages(from, to, page -> {
            List<String> ids = ids(page);
            Map<String, OrderMoneyFacts> facts = payments.ofOrders(ids);
            Set<String> inFlight = payments.settling(ids);
            Map<String, Map<String, Long>> balances = ledger.providerBalances(ids, OTHER_PSP_SOURCES);
            for (OrderSummary o : page) {
                checked[0]++;
                String order = o.id();
                String status = o.status().wire();
                String currency = o.currency();
                OrderMoneyFacts money = facts.get(order);
                long held = money == null ? 0 : money.amountCaptured() - money.amountRefunded();
                long psp = balances.getOrDefault(order, Map.of()).getOrDefault(currency, 0L);
                boolean settlingNow = inFlight.contains(order);
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
        });
        return new Internal(found, checked[0], settling);
    }
}
