package io.moneytrail.payment;

import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * What {@link ProviderSync} tells the rest of the application, in the changing transaction: its
 * events, and each money fact to the {@link MoneyFactPort}s as well.
 */
@Component
class MoneyFactPublisher {

    private final ApplicationEventPublisher events;
    private final List<MoneyFactPort> ports;

    MoneyFactPublisher(ApplicationEventPublisher events, ObjectProvider<MoneyFactPort> ports) {
        this.events = events;
        this.ports = ports.orderedStream().toList();
    }

    void publishEvent(Object event) {
        events.publishEvent(event);
    }

    /** The event first (the ledger posts it), then the ports. */
    void moneyMoved(MoneyMoved fact) {
        events.publishEvent(fact);
        for (MoneyFactPort port : ports) {
            port.recorded(fact);
        }
    }
}
