package io.moneytrail.fiscal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The receipts' outbox and resolver. Each round claims the pending receipts that are due (a
 * short statement of its own, FOR UPDATE SKIP LOCKED plus a lease, so several instances share the
 * work) and, with no transaction held, sends each one not yet taken by the provider and asks about
 * each one taken: first after {@code ask-first-ms} (1 s), then doubling up to {@code ask-cap-ms}
 * (60 s). A send without an answer is repeated with the same {@code external_id} on the same
 * backoff. {@code done} records the fiscal attributes; {@code fail} records the provider's error
 * and puts the receipt in the review queue; past {@code send-attempts-max} sends or {@code asks-max}
 * questions without an answer the receipt is failed there too, saying so.
 */
@Component
class ReceiptWorker {

    private static final Logger log = LoggerFactory.getLogger(ReceiptWorker.class);
    /** A claim holds this long: longer than a send's timeouts. */
    static final long LEASE_MS = 60_000;

    private final FiscalSettings settings;
    private final FiscalProperties properties;
    private final Map<String, FiscalProvider> providers;
    private final ReceiptStore store;
    private final Clock clock;

    ReceiptWorker(FiscalSettings settings, FiscalProperties properties, List<FiscalProvider> providers,
                  ReceiptStore store, Clock clock) {
        this.settings = settings;
        this.properties = properties;
        this.providers = providers.stream().collect(Collectors.toUnmodifiableMap(FiscalProvider::name, p -> p));
        this.store = store;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${moneytrail.fiscal.worker-interval-ms:200}",
            fixedDelayString = "${moneytrail.fiscal.worker-interval-ms:200}")
    void round() {
        if (!settings.enabled()) {
            return;
        }
        try {
            for (ReceiptStore.Claimed claimed : store.claimDue(settings.providers(), properties.batchMax(), LEASE_MS,
                    clock.instant())) {
                work(claimed.receipt(), claimed.polls());
            }
        } catch (RuntimeException e) {
            log.warn("fiscal receipts: a round failed, the next one retries: {}", e.toString());
        }
    }

    /** Sends or asks about one claimed receipt and records the answer. */
    void work(Receipt receipt, int polls) {
        boolean sending = receipt.externalUuid() == null;
        FiscalProvider provider = providers.get(receipt.provider());
        if (provider == null) {
            store.unanswered(receipt.id(), sending, "no fiscal provider " + receipt.provider() + " in this process",
                    clock.instant().plusMillis(properties.askCapMs()), clock.instant());
            return;
        }
        FiscalProvider.Outcome outcome = sending ? provider.register(receipt) : provider.report(receipt);
        Instant now = clock.instant();
        int tries = sending ? receipt.attempts() + 1 : polls + 1;
        if (outcome instanceof FiscalProvider.Outcome.Accepted accepted) {
            store.accepted(receipt.id(), accepted.uuid(), now.plusMillis(properties.askFirstMs()), now);
        } else if (outcome instanceof FiscalProvider.Outcome.Waiting) {
            if (tries >= properties.asksMax()) {
                store.failed(receipt.id(), null, new ReceiptError(null, "the fiscal provider still said wait after "
                        + tries + " questions", "moneytrail"), now);
            } else {
                store.waiting(receipt.id(), now.plusMillis(backoffMs(tries + 1)), now);
            }
        } else if (outcome instanceof FiscalProvider.Outcome.Done done) {
            store.done(receipt.id(), done.uuid(), done.fiscal(), now);
        } else if (outcome instanceof FiscalProvider.Outcome.Failed failed) {
            log.warn("fiscal receipt {} of order {} failed: {} {}", receipt.id(), receipt.orderId(),
                    failed.error().code(), failed.error().text());
            store.failed(receipt.id(), failed.uuid(), failed.error(), now);
        } else if (outcome instanceof FiscalProvider.Outcome.Unknown unknown) {
            int max = sending ? properties.sendAttemptsMax() : properties.asksMax();
            if (tries >= max) {
                store.failed(receipt.id(), null, new ReceiptError(null, "no answer from the fiscal provider after "
                        + tries + (sending ? " sends" : " questions") + ": " + unknown.reason(), "moneytrail"), now);
            } else {
                store.unanswered(receipt.id(), sending, unknown.reason(), now.plusMillis(backoffMs(tries)), now);
            }
        }
    }

    /** The pause after the n-th try (1, 2, 4 … × ask-first-ms, at most ask-cap-ms). */
    long backoffMs(int tries) {
        long first = properties.askFirstMs();
        int doublings = Math.max(0, Math.min(tries - 1, 30));
        long delay = first << doublings;
        return delay <= 0 || delay > properties.askCapMs() ? properties.askCapMs() : delay;
    }
}
