package io.moneytrail.onec;

import io.moneytrail.order.Order;
import io.moneytrail.order.OrderService;
import io.moneytrail.payment.MoneyTransaction;
import io.moneytrail.payment.Payment;
import io.moneytrail.payment.PaymentQueries;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The 1C exchange's steps after login ({@code access.OnecLogin} does {@code checkauth}):
 * {@code init} (what this side supports), {@code query} (the orders changed since 1C's last
 * acknowledged exchange, as CommerceML 2.10), {@code success} (1C took them), {@code file}
 * (1C's changes to apply). {@code docs/1c.md} describes each.
 */
@Service
public class OnecExchange {

    /** The answer to {@code init}: no zip, and the largest file per request. */
    public record Init(boolean zip, long fileLimitBytes) {
        public List<String> lines() {
            return List.of("zip=" + (zip ? "yes" : "no"), "file_limit=" + fileLimitBytes);
        }
    }

    /** The answer to {@code query}: the document's bytes in {@link #charset} and how many orders it holds. */
    public record Export(byte[] xml, Charset charset, int orders) {
    }

    /** What a file of 1C's changes did, document by document. */
    public record FileReport(int documents, int applied, int unchanged, int refused, int skipped, List<String> refusals) {

        public boolean complete() {
            return refused == 0;
        }

        /** The lines of the answer: {@code success}, or {@code failure} and what was refused. */
        public List<String> lines() {
            if (complete()) {
                return List.of("success");
            }
            List<String> lines = new ArrayList<>();
            lines.add("failure");
            lines.add(refused + " of " + documents + " changes refused (applied " + applied + ", already in place "
                    + unchanged + "); nothing was forced:");
            lines.addAll(refusals);
            return lines;
        }
    }

    private final OnecSettings settings;
    private final OnecOrders tracked;
    private final OnecChanges changes;
    private final OrderService orders;
    private final PaymentQueries payments;
    private final TransactionTemplate tx;
    private final Clock clock;

    OnecExchange(OnecSettings settings, OnecOrders tracked, OnecChanges changes, OrderService orders,
                 PaymentQueries payments, TransactionTemplate tx, Clock clock) {
        this.settings = settings;
        this.tracked = tracked;
        this.changes = changes;
        this.orders = orders;
        this.payments = payments;
        this.tx = tx;
        this.clock = clock;
    }

    public Charset charset() {
        return settings.charset();
    }

    public Init init() {
        return new Init(false, settings.fileLimitBytes());
    }

    /**
     * The orders changed since 1C last acknowledged an export (at most {@code orders-per-query},
     * oldest change first). What it sends is remembered per order; without a {@code success}
     * the next query sends it again, with whatever changed since. Exporting changes nothing else.
     */
    public Export query() {
        Instant now = clock.instant();
        return tx.execute(status -> {
            tracked.lockExchange();
            List<OnecOrders.Pending> pending = tracked.pending(settings.ordersPerQuery());
            List<CommerceMlWriter.Exported> exported = new ArrayList<>(pending.size());
            for (OnecOrders.Pending order : pending) {
                exported.add(exported(orders.get(order.orderId())));
            }
            tracked.sent(pending, now);
            byte[] xml = new CommerceMlWriter(settings.charset(), settings.timeZone()).write(exported, now);
            return new Export(xml, settings.charset(), exported.size());
        });
    }

    /** 1C took the last query's orders: they are not sent again unless they change. Answers how many. */
    public int success() {
        Instant now = clock.instant();
        Integer done = tx.execute(status -> {
            tracked.lockExchange();
            return tracked.acknowledge(now);
        });
        return done == null ? 0 : done;
    }

    /**
     * Applies a file of 1C's changes. The whole file is read and checked first, so a malformed,
     * hostile or oversized file changes nothing ({@link OnecFailure}). Then each document is
     * applied on its own; a refused one is reported, never forced. A document for an order this
     * service does not have is refused when it asks for a change, skipped when it asks for none
     * (1C may send back orders of its own).
     */
    public FileReport receive(byte[] file) {
        if (file.length > settings.fileLimitBytes()) {
            throw new OnecFailure("the file is " + file.length + " bytes, over file_limit=" + settings.fileLimitBytes());
        }
        List<CommerceMlReader.Incoming> documents = CommerceMlReader.read(file);
        List<OnecChanges.Result> results = new ArrayList<>();
        List<CommerceMlReader.Incoming> toApply = new ArrayList<>();
        List<String> orderIds = new ArrayList<>();
        for (CommerceMlReader.Incoming document : documents) {
            if (document.operation() != null && !document.operation().equals(CommerceMlWriter.OPERATION_ORDER)) {
                results.add(changes.skipped(document));
                continue;
            }
            Optional<String> order = changes.orderOf(document);
            if (order.isEmpty()) {
                results.add(OnecChanges.wanted(document) == OnecChanges.Wanted.NOTHING ? changes.skipped(document)
                        : changes.unknownOrder(document));
                continue;
            }
            toApply.add(document);
            orderIds.add(order.get());
        }
        tx.executeWithoutResult(status -> {
            tracked.lockExchange();
            tracked.fileReceived(clock.instant());
        });
        for (int i = 0; i < toApply.size(); i++) {
            results.add(changes.apply(toApply.get(i), orderIds.get(i)));
        }
        int applied = 0;
        int unchanged = 0;
        int refused = 0;
        int skipped = 0;
        List<String> refusals = new ArrayList<>();
        for (OnecChanges.Result result : results) {
            switch (result.outcome()) {
                case APPLIED -> applied++;
                case UNCHANGED -> unchanged++;
                case SKIPPED -> skipped++;
                case REFUSED -> {
                    refused++;
                    refusals.add(result.describe());
                }
            }
        }
        return new FileReport(documents.size(), applied, unchanged, refused, skipped, refusals);
    }

    /** An order with its payment's provider, payment date and document number, and the money it holds. */
    private CommerceMlWriter.Exported exported(Order order) {
        List<Payment> attempts = payments.ofOrder(order.id());
        List<MoneyTransaction> moves = payments.transactionsOfOrder(order.id());
        MoneyTransaction lastCapture = null;
        long net = 0;
        for (MoneyTransaction move : moves) {
            switch (move.kind()) {
                case CAPTURE, CHARGEBACK_REVERSAL -> net += move.amount().amountMinor();
                case REFUND, CHARGEBACK -> net -= move.amount().amountMinor();
                default -> { }
            }
            if (move.kind() == MoneyTransaction.Kind.CAPTURE) {
                lastCapture = move;
            }
        }
        Payment payment = null;
        if (lastCapture != null) {
            String paymentId = lastCapture.paymentId();
            payment = attempts.stream().filter(p -> p.id().equals(paymentId)).findFirst().orElse(null);
        } else if (!attempts.isEmpty()) {
            payment = attempts.get(attempts.size() - 1);
        }
        String document = lastCapture == null ? null
                : lastCapture.providerReference() != null ? lastCapture.providerReference()
                : payment == null ? null : payment.providerPaymentId();
        return new CommerceMlWriter.Exported(order, payment == null ? null : payment.provider(),
                lastCapture == null ? null : lastCapture.occurredAt(), document, net);
    }
}
