package io.moneytrail.api;

import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.webhook.OutboundEventType;
import io.moneytrail.webhook.Outbox;
import io.moneytrail.webhook.OutboxEvent;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Events for the store, as they were (or will be) sent to its endpoints. A store that polls
 * instead of receiving webhooks reads the same envelopes: dedupe by {@code id}, order by
 * {@code sequence}.
 */
@RestController
@RequestMapping("/v1/events")
@Tag(name = "Events")
class EventsController {

    private final Outbox outbox;
    private final ObjectMapper json;

    EventsController(Outbox outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    @GetMapping
    @Operation(summary = "List events, newest first; filter by type and order")
    Views.ListView<JsonNode> list(@RequestParam(required = false) String type,
                                  @RequestParam(required = false) String order,
                                  @RequestParam(name = "starting_after", required = false) String startingAfter,
                                  @RequestParam(required = false) Integer limit) {
        int pageSize = Pages.limit(limit);
        OutboundEventType eventType = type == null ? null : OutboundEventType.fromWire(type).orElseThrow(
                () -> MoneytrailException.invalid("parameter_invalid", "type", "unknown event type '" + type + "'"));
        if (order != null && !Ids.hasPrefix(order, Ids.ORDER)) {
            throw MoneytrailException.invalid("parameter_invalid", "order", "order must be an order id (ord_...)");
        }
        if (startingAfter != null && !Ids.hasPrefix(startingAfter, Ids.EVENT)) {
            throw MoneytrailException.invalid("parameter_invalid", "starting_after",
                    "starting_after must be an event id (evt_...)");
        }
        List<OutboxEvent> page = outbox.list(eventType, order, startingAfter, pageSize + 1);
        return Views.list(page.stream().limit(pageSize).map(e -> json.readTree(e.payload())).toList(),
                page.size() > pageSize, "/v1/events");
    }

    @GetMapping("/{id}")
    @Operation(summary = "One event, with the status of its delivery to each endpoint")
    JsonNode get(@PathVariable String id) {
        OutboxEvent event = outbox.get(id);
        ObjectNode view = (ObjectNode) json.readTree(event.payload());
        view.set("deliveries", json.valueToTree(outbox.deliveries(id).stream().map(OutboundViews::delivery).toList()));
        return view;
    }

    @PostMapping("/{id}/redeliver")
    @Operation(summary = "Send the event again to the endpoints whose delivery was parked as failed")
    JsonNode redeliver(@PathVariable String id) {
        outbox.redeliver(id);
        return get(id);
    }
}
