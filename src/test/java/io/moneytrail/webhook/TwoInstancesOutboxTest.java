package io.moneytrail.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.database.DatabaseEndpoint;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import io.moneytrail.testing.Receiver;
import io.moneytrail.testing.SecondInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two service instances against one PostgreSQL (issue 4, item 6): the test's own context and
 * a second Spring Boot application started in this JVM on the same database. Both record
 * events and both run the delivery worker; every (event, endpoint) must be delivered exactly
 * once, and both instances must have done part of the work.
 */
class TwoInstancesOutboxTest extends ApiTest {

    private static final int EVENTS = 200;

    @Autowired
    DatabaseEndpoint database;

    /** Scenario 25: two instances against one database; the outbox work is done exactly once. */
    @Test
    void two_instances_deliver_every_event_exactly_once_and_share_the_work() throws Exception {
        ConfigurableApplicationContext second = null;
        ExecutorService clients = Executors.newFixedThreadPool(4);
        // a receiver that takes a moment per request, so that deliveries overlap across instances
        try (Receiver receiver = Receiver.start().delay(5)) {
            String endpoint = api.post("/v1/webhook_endpoints", "{\"url\":\"" + receiver.url() + "\"}").expect(200)
                    .text("id");
            try {
                assertThat(database.jdbcUrl()).isNotBlank();
                second = SecondInstance.start(database, api, "instance",
                        "--moneytrail.outbound.poll-interval-ms=100",
                        "--moneytrail.outbound.backoff-base-ms=50",
                        "--moneytrail.outbound.attempts-max=5",
                        "--moneytrail.outbound.request-timeout-ms=1000");
                int secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
                Api other = new Api("http://localhost:" + secondPort, api.key());

                // 200 events: orders created and cancelled, alternately through each instance
                Set<String> orders = ConcurrentHashMap.newKeySet();
                List<Future<?>> running = new ArrayList<>();
                for (int i = 0; i < EVENTS; i++) {
                    Api instance = i % 2 == 0 ? api : other;
                    running.add(clients.submit(() -> {
                        String order = instance.createOrder(300, 1).text("id");
                        instance.post("/v1/orders/" + order + "/cancel", null).expect(200);
                        orders.add(order);
                    }));
                }
                for (Future<?> call : running) {
                    call.get();
                }
                assertThat(orders).hasSize(EVENTS);

                receiver.awaitCount(r -> orders.contains(r.order()), EVENTS);
                Api.sleep(1_000); // a duplicate would arrive within a few polls
                List<Receiver.Received> received = receiver.received(r -> orders.contains(r.order()));
                Map<String, Long> perEvent = received.stream()
                        .collect(Collectors.groupingBy(Receiver.Received::id, Collectors.counting()));
                assertThat(perEvent).hasSize(EVENTS);
                assertThat(perEvent.values()).as("each event delivered once").containsOnly(1L);
                assertThat(received).extracting(Receiver.Received::type).containsOnly("order.cancelled");

                Map<String, Long> perInstance = received.stream()
                        .collect(Collectors.groupingBy(Receiver.Received::instance, Collectors.counting()));
                System.out.println("Deliveries by instance: " + perInstance);
                assertThat(perInstance).as("deliveries by instance: %s", perInstance).hasSize(2);

                var recorded = jdbc.sql("""
                                select count(*) filter (where d.status = 'delivered' and d.attempts = 1),
                                       count(distinct d.delivered_by)
                                from outbox_deliveries d join outbox_events e on e.id = d.event_id
                                where d.endpoint_id = :endpoint and e.order_id = any(:orders)
                                """)
                        .param("endpoint", endpoint).param("orders", orders.toArray(new String[0]))
                        .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
                assertThat(recorded[0]).as("delivered at the first attempt").isEqualTo(EVENTS);
                assertThat(recorded[1]).as("instances that delivered").isEqualTo(2);
            } finally {
                api.post("/v1/webhook_endpoints/" + endpoint + "/disable", null).expect(200);
                if (second != null) {
                    second.close();
                }
            }
        } finally {
            clients.shutdownNow();
        }
    }
}
