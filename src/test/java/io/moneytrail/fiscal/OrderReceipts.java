package io.moneytrail.fiscal;

import io.moneytrail.testing.Api;
import java.time.Duration;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** An order's receipts as GET /v1/orders/{id}/receipts lists them, waited for: shared by the receipt end-to-end tests. */
final class OrderReceipts {

    private OrderReceipts() {
    }

    /** The order's receipts once {@code until} holds of them, polling for at most {@code within}. */
    static JsonNode await(Api api, String order, Duration within, Predicate<JsonNode> until) {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode data = api.get("/v1/orders/" + order + "/receipts").expect(200).body().path("data");
        while (!until.test(data)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("receipts of " + order + " not as expected within " + within + ": " + data);
            }
            Api.sleep(100);
            data = api.get("/v1/orders/" + order + "/receipts").expect(200).body().path("data");
        }
        return data;
    }

    /** Exactly {@code count} receipts, every one in {@code status}. */
    static boolean all(JsonNode data, int count, String status) {
        if (data.size() != count) {
            return false;
        }
        for (JsonNode r : data) {
            if (!status.equals(r.path("status").asText())) {
                return false;
            }
        }
        return true;
    }
}
