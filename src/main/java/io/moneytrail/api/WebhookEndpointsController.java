package io.moneytrail.api;

import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.webhook.WebhookEndpoint;
import io.moneytrail.webhook.WebhookEndpoints;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/webhook_endpoints")
@Tag(name = "Webhook endpoints")
class WebhookEndpointsController {

    private final WebhookEndpoints endpoints;

    WebhookEndpointsController(WebhookEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    record CreateEndpoint(String url) {
    }

    @PostMapping
    @Operation(summary = "Register a URL for every event; the answer shows its signing secret, once")
    OutboundViews.EndpointView create(@RequestBody(required = false) CreateEndpoint body) {
        if (body == null) {
            throw MoneytrailException.invalid("parameter_missing", "url", "url is required");
        }
        return OutboundViews.endpoint(endpoints.create(body.url()), true);
    }

    @GetMapping
    @Operation(summary = "List webhook endpoints, newest first")
    Views.ListView<OutboundViews.EndpointView> list(
            @RequestParam(name = "starting_after", required = false) String startingAfter,
            @RequestParam(required = false) Integer limit) {
        int pageSize = Pages.limit(limit);
        if (startingAfter != null && !Ids.hasPrefix(startingAfter, WebhookEndpoints.ID_PREFIX)) {
            throw MoneytrailException.invalid("parameter_invalid", "starting_after",
                    "starting_after must be a webhook endpoint id (we_...)");
        }
        List<WebhookEndpoint> page = endpoints.list(startingAfter, pageSize + 1);
        return Views.list(page.stream().limit(pageSize).map(e -> OutboundViews.endpoint(e, false)).toList(),
                page.size() > pageSize, "/v1/webhook_endpoints");
    }

    @GetMapping("/{id}")
    OutboundViews.EndpointView get(@PathVariable String id) {
        return OutboundViews.endpoint(endpoints.get(id), false);
    }

    record RollSecret(Long overlapSeconds) {
    }

    @PostMapping("/{id}/roll_secret")
    @Operation(summary = "Replace the endpoint's signing secret; the answer shows the new one, once. With "
            + "overlap_seconds (at most 86400) the previous secret keeps signing alongside it for that long")
    OutboundViews.EndpointView rollSecret(@PathVariable String id,
                                          @RequestBody(required = false) RollSecret body) {
        long overlapSeconds = body == null || body.overlapSeconds() == null ? 0 : body.overlapSeconds();
        return OutboundViews.endpoint(endpoints.rollSecret(id, overlapSeconds), true);
    }

    @PostMapping("/{id}/disable")
    @Operation(summary = "Stop sending to the endpoint; its pending deliveries are parked as failed")
    OutboundViews.EndpointView disable(@PathVariable String id) {
        return OutboundViews.endpoint(endpoints.disable(id), false);
    }
}
