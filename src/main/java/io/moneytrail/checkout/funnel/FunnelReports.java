package io.moneytrail.checkout.funnel;

import io.moneytrail.checkout.FunnelEvent;
import io.moneytrail.checkout.FunnelEvents;
import io.moneytrail.payment.PaymentProviders;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Service;

/**
 * Builds funnel reports from the recorded steps, read through {@link FunnelEvents} one journey
 * at a time (memory stays bounded by one journey and the paid sessions' times).
 */
@Service
public class FunnelReports {

    private final FunnelEvents events;
    private final PaymentProviders providers;

    FunnelReports(FunnelEvents events, PaymentProviders providers) {
        this.events = events;
        this.providers = providers;
    }

    /** The providers a report may be filtered by: the configured ones. */
    public Set<String> providers() {
        return new TreeSet<>(providers.names());
    }

    /** Parses and checks the request's parameters (400 naming the bad one), days in {@code zone}. */
    public FunnelQuery query(String from, String to, String provider, String device, ZoneId zone) {
        return FunnelQuery.parse(from, to, provider, device, zone, providers());
    }

    public FunnelReport report(FunnelQuery query) {
        FunnelTally tally = new FunnelTally(query);
        List<FunnelEvent> journey = new ArrayList<>();
        String[] current = {null};
        events.forEachOfJourneysStartedIn(query.start(), query.end(), event -> {
            String key = journeyKey(event);
            if (!key.equals(current[0]) && !journey.isEmpty()) {
                tally.add(List.copyOf(journey));
                journey.clear();
            }
            current[0] = key;
            journey.add(event);
        });
        if (!journey.isEmpty()) {
            tally.add(List.copyOf(journey));
        }
        return tally.report();
    }

    /** A journey: its checkout session, or the order of an API-only payment. */
    static String journeyKey(FunnelEvent event) {
        return event.sessionId() != null ? "session:" + event.sessionId()
                : "order:" + Objects.requireNonNull(event.orderId());
    }
}
