package io.moneytrail.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.money.Money;
import io.moneytrail.order.OrderBulkLoad;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.payment.PaymentBulkLoad;
import io.moneytrail.payment.PaymentState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code /admin/orders} pages through 130 orders of two days of 2019 (no other test creates
 * orders then), newest first by creation time, 50 a page, following the page's own "Next" link:
 * every order once, in order; and with the provider and payment status filters (applied to
 * batches of candidates) exactly the matching ones, across pages.
 */
class OrderListPagingTest extends BackofficeTest {

    private static final Pattern ROW = Pattern.compile("href=\"/admin/orders/(ord_[0-9a-z]+)\"");
    private static final Pattern NEXT = Pattern.compile("rel=\"next\" href=\"([^\"]+)\"");
    private static final Instant FIRST = Instant.parse("2019-03-01T08:00:00Z");
    private static final int COUNT = 130;
    private static final List<String> NEWEST_FIRST = new ArrayList<>();
    private static final Set<String> SANDBOX_PAID = new LinkedHashSet<>();

    @Autowired
    OrderBulkLoad orders;

    @Autowired
    PaymentBulkLoad payments;

    @BeforeEach
    void load() {
        synchronized (NEWEST_FIRST) {
            if (!NEWEST_FIRST.isEmpty()) {
                return;
            }
            String run = Long.toString(System.nanoTime(), 36);
            List<OrderBulkLoad.BulkOrder> rows = new ArrayList<>();
            List<PaymentBulkLoad.BulkPayment> paid = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                // ids that do not sort as the creation times do: the list's order is the creation time's
                String id = "ord_paging" + run + (char) ('a' + (i * 7) % 26) + i;
                Instant created = FIRST.plusSeconds(600L * i);
                rows.add(new OrderBulkLoad.BulkOrder(id, "PAGING-" + run + "-" + i, Money.of(1000 + i, "EUR"),
                        OrderStatus.OPEN, created, "SKU", "Thing"));
                ids.add(id);
                if (i % 3 != 0) {
                    String provider = i % 2 == 0 ? "sandbox" : "stripe";
                    boolean captured = i % 5 != 0;
                    paid.add(new PaymentBulkLoad.BulkPayment("pay_paging" + run + i, id, provider,
                            "pp_paging" + run + i, captured ? PaymentState.CAPTURED : PaymentState.FAILED,
                            Money.of(1000 + i, "EUR"), created, "txn_pc" + run + i, captured ? 1000 + i : 0,
                            created.plusSeconds(1), "txn_pr" + run + i, "refund:" + run + i, 0, created));
                    if (provider.equals("sandbox") && captured) {
                        SANDBOX_PAID.add(id);
                    }
                }
            }
            orders.insert(rows);
            payments.insert(paid);
            for (int i = ids.size() - 1; i >= 0; i--) {
                NEWEST_FIRST.add(ids.get(i));
            }
        }
    }

    private List<String> walk(Session session, String query) {
        List<String> seen = new ArrayList<>();
        String path = "/admin/orders?" + query;
        for (int pages = 0; path != null; pages++) {
            assertThat(pages).as("pages of " + query).isLessThan(10);
            Session.Page page = session.get(path);
            assertThat(page.status()).isEqualTo(200);
            Matcher row = ROW.matcher(page.body());
            List<String> here = new ArrayList<>();
            while (row.find()) {
                if (!here.contains(row.group(1))) {
                    here.add(row.group(1));
                }
            }
            assertThat(here.size()).as("a page").isLessThanOrEqualTo(50);
            seen.addAll(here);
            Matcher next = NEXT.matcher(page.body());
            path = next.find() ? next.group(1).replace("&amp;", "&") : null;
        }
        return seen;
    }

    @Test
    void keyset_pages_newest_first_every_order_once() {
        Session viewer = new Session(base());
        viewer.login(user("viewer").username(), user("viewer").password());
        List<String> all = walk(viewer, "from=2019-03-01&to=2019-03-02");
        assertThat(all).containsExactlyElementsOf(NEWEST_FIRST);
    }

    @Test
    void the_provider_and_payment_status_filters_across_pages() {
        Session viewer = new Session(base());
        viewer.login(user("viewer").username(), user("viewer").password());
        List<String> found = walk(viewer, "from=2019-03-01&to=2019-03-02&provider=sandbox&payment_status=paid");
        List<String> expected = NEWEST_FIRST.stream().filter(SANDBOX_PAID::contains).toList();
        assertThat(expected).hasSizeGreaterThan(20);
        assertThat(found).containsExactlyElementsOf(expected);
        List<String> stripe = walk(viewer, "from=2019-03-01&to=2019-03-02&provider=stripe");
        assertThat(stripe).hasSize((int) NEWEST_FIRST.stream().filter(id -> {
            int i = Integer.parseInt(id.replaceAll(".*[a-z]", ""));
            return i % 3 != 0 && i % 2 == 1;
        }).count());
    }

    private static int index(String id) {
        return Integer.parseInt(id.replaceAll(".*[a-z]", ""));
    }

    @Test
    void the_payment_status_filter_from_the_read_model_and_unpaid_orders_without_an_attempt() {
        Session viewer = new Session(base());
        viewer.login(user("viewer").username(), user("viewer").password());
        // paid: a page of the payment module's read model at a time (order_payment_status, V31)
        List<String> paid = NEWEST_FIRST.stream().filter(id -> index(id) % 3 != 0 && index(id) % 5 != 0).toList();
        assertThat(paid).hasSizeGreaterThan(50);
        assertThat(walk(viewer, "from=2019-03-01&to=2019-03-02&payment_status=paid")).containsExactlyElementsOf(paid);
        // with a lifecycle status too: the read model's ids, then the orders' own filter
        assertThat(walk(viewer, "from=2019-03-01&to=2019-03-02&payment_status=paid&status=open"))
                .containsExactlyElementsOf(paid);
        assertThat(walk(viewer, "from=2019-03-01&to=2019-03-02&payment_status=paid&status=fulfilled")).isEmpty();
        // unpaid: never attempted (no row) and failed attempts alike
        List<String> unpaid = NEWEST_FIRST.stream().filter(id -> index(id) % 3 == 0 || index(id) % 5 == 0).toList();
        assertThat(walk(viewer, "from=2019-03-01&to=2019-03-02&payment_status=unpaid"))
                .containsExactlyElementsOf(unpaid);
        // each row shows the status it was found by
        Session.Page page = viewer.get("/admin/orders?from=2019-03-01&to=2019-03-02&payment_status=unpaid");
        assertThat(page.body()).contains("ps-unpaid").doesNotContain("ps-paid");
    }

    @Test
    void the_language_switch_keeps_the_filters() {
        Session viewer = new Session(base());
        viewer.login(user("viewer").username(), user("viewer").password());
        Session.Page page = viewer.get("/admin/orders?from=2019-03-01&to=2019-03-02&payment_status=paid&lang=en");
        assertThat(page.body())
                .contains("href=\"/admin/orders?from=2019-03-01&amp;to=2019-03-02&amp;payment_status=paid&amp;lang=ru\"")
                .contains("href=\"/admin/orders?from=2019-03-01&amp;to=2019-03-02&amp;payment_status=paid&amp;lang=en\"");
        assertThat(viewer.get("/admin/orders").body()).contains("href=\"/admin/orders?lang=ru\"");
    }
}
