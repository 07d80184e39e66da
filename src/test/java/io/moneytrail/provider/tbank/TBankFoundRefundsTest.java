package io.moneytrail.provider.tbank;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.moneytrail.payment.PaymentState;
import io.moneytrail.payment.ProviderPayment;
import io.moneytrail.payment.ProviderResult;
import io.moneytrail.payment.RefundState;
import io.moneytrail.testing.ApiTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refunds T-Bank made without a refund call of ours, which its answers show only as a smaller
 * amount left: the adapter against a local stand-in for T-Bank whose answers each test scripts
 * (the sandbox cannot make a customer pay between the void's GetState and its Cancel), with the
 * adapter's rows in the real database.
 */
class TBankFoundRefundsTest extends ApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicLong NEXT_PAYMENT = new AtomicLong(System.currentTimeMillis() * 1000);

    private HttpServer server;
    private final Deque<String[]> answers = new ArrayDeque<>(); // {method, status, body}
    private final List<String> asked = new ArrayList<>();
    private TBankProvider provider;
    private String paymentId;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/", exchange -> {
            String method = exchange.getRequestURI().getPath().substring("/v2/".length());
            exchange.getRequestBody().readAllBytes();
            asked.add(method);
            String[] answer = answers.isEmpty() || !answers.peek()[0].equals(method)
                    ? new String[] {method, "500", "{}"} : answers.poll();
            byte[] body = answer[2].getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(Integer.parseInt(answer[1]), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        TBankProperties properties = new TBankProperties("TestDEMO", "pw", "http://127.0.0.1:"
                + server.getAddress().getPort(), "https://shop.example/hooks", 1_000L, 1_000L, 1, 10L);
        provider = new TBankProvider(properties, new MockEnvironment(), JSON, jdbc, Clock.systemUTC());
        paymentId = String.valueOf(NEXT_PAYMENT.incrementAndGet());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(String method, String body) {
        answers.add(new String[] {method, "200", body});
    }

    private String state(String status, long amount) {
        return "{\"Success\":true,\"ErrorCode\":\"0\",\"TerminalKey\":\"TestDEMO\",\"Status\":\"" + status
                + "\",\"PaymentId\":\"" + paymentId + "\",\"OrderId\":\"pay_test\",\"Amount\":" + amount + "}";
    }

    /** A one-stage payment of {@code amount} the adapter created (its Init remembered). */
    private void oneStagePayment(long amount) {
        new TBankPayments(jdbc).remember(paymentId, "pay_test", amount, false, java.time.Instant.now());
    }

    private static List<String> refunds(ProviderResult<ProviderPayment> result) {
        assertThat(result).isInstanceOf(ProviderResult.Done.class);
        return ((ProviderResult.Done<ProviderPayment>) result).value().refunds().stream()
                .map(r -> r.id() + " " + r.amount() + " " + r.state()).toList();
    }

    @Test
    void a_void_tbank_turned_into_a_refund_is_found_once_by_its_answer_and_again_by_name_by_a_later_state() {
        oneStagePayment(5_000);
        answer("GetState", state("NEW", 5_000));
        answer("Cancel", "{\"Success\":true,\"ErrorCode\":\"0\",\"Status\":\"REFUNDED\",\"PaymentId\":\"" + paymentId
                + "\",\"OriginalAmount\":5000,\"NewAmount\":0}");
        ProviderResult<ProviderPayment> voided = provider.cancel(paymentId, "void-key-1");
        assertThat(((ProviderResult.Done<ProviderPayment>) voided).value().state()).isEqualTo(PaymentState.CAPTURED);
        assertThat(refunds(voided)).containsExactly("found-" + paymentId + "-1 5000 " + RefundState.SUCCEEDED);

        answer("GetState", state("REFUNDED", 0));
        assertThat(refunds(provider.fetch(paymentId))).as("the notification's state names the same refund")
                .containsExactly("found-" + paymentId + "-1 5000 " + RefundState.SUCCEEDED);
    }

    @Test
    void a_void_tbank_turned_into_a_refund_whose_answer_is_lost_is_found_by_the_next_state() {
        oneStagePayment(7_000);
        answer("GetState", state("NEW", 7_000));
        answers.add(new String[] {"Cancel", "503", "busy"});
        assertThat(provider.cancel(paymentId, "void-key-2")).isInstanceOf(ProviderResult.Unknown.class);

        answer("GetState", state("REFUNDED", 0));
        assertThat(refunds(provider.fetch(paymentId)))
                .containsExactly("found-" + paymentId + "-1 7000 " + RefundState.SUCCEEDED);
    }

    @Test
    void a_void_that_reversed_nothing_paid_counts_nothing() {
        oneStagePayment(4_000);
        answer("GetState", state("NEW", 4_000));
        answer("Cancel", "{\"Success\":true,\"ErrorCode\":\"0\",\"Status\":\"CANCELED\",\"PaymentId\":\"" + paymentId
                + "\",\"OriginalAmount\":4000,\"NewAmount\":0}");
        assertThat(refunds(provider.cancel(paymentId, "void-key-3"))).isEmpty();
        assertThat(jdbc.sql("select count(*) from tbank_refunds where payment_id = :p").param("p", paymentId)
                .query(Long.class).single()).isZero();
    }

    @Test
    void a_refund_of_ours_that_tbank_refused_no_longer_hides_a_refund_made_elsewhere() {
        oneStagePayment(5_000);
        answer("Cancel", "{\"Success\":false,\"ErrorCode\":\"8\",\"Message\":\"Неверная сумма\"}");
        assertThat(provider.refund(paymentId, "re_refused", io.moneytrail.money.Money.of(5_000, "RUB")))
                .isInstanceOf(ProviderResult.Rejected.class);

        answer("GetState", state("PARTIAL_REFUNDED", 3_000)); // 2,000 refunded in the dashboard meanwhile
        assertThat(refunds(provider.fetch(paymentId)))
                .containsExactly("found-" + paymentId + "-1 2000 " + RefundState.SUCCEEDED);
    }

    @Test
    void answers_read_at_once_record_each_unexplained_kopeck_once() throws Exception {
        TBankRefunds refunds = new TBankRefunds(jdbc);
        refunds.sending(paymentId, "re_ours", 1_000, java.time.Instant.now());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Callable<List<ProviderPayment.Refund>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                long refunded = i % 2 == 0 ? 4_000 : 6_000; // an older and a newer answer, read at once
                answers.add(() -> refunds.discovered(paymentId, refunded, java.time.Instant.now()));
            }
            List<java.util.concurrent.Future<List<ProviderPayment.Refund>>> told = pool.invokeAll(answers);
            for (int i = 1; i < told.size(); i += 2) {
                assertThat(told.get(i).get().stream().mapToLong(ProviderPayment.Refund::amount).sum())
                        .as("the newer answer names all it explains, even when an older one numbered first")
                        .isEqualTo(5_000);
            }
        } finally {
            pool.shutdownNow();
        }
        List<ProviderPayment.Refund> found = refunds.discovered(paymentId, 6_000L, java.time.Instant.now());
        assertThat(found.stream().mapToLong(ProviderPayment.Refund::amount).sum())
                .as("6,000 taken back, 1,000 of it ours").isEqualTo(5_000);
        assertThat(found).extracting(ProviderPayment.Refund::id).doesNotHaveDuplicates()
                .allMatch(id -> id.startsWith("found-" + paymentId + "-"));
    }

    @Test
    void refunds_of_ours_count_from_before_they_are_sent_and_nothing_is_found_for_them() {
        oneStagePayment(9_000);
        answer("Cancel", "{\"Success\":true,\"ErrorCode\":\"0\",\"Status\":\"PARTIAL_REFUNDED\",\"PaymentId\":\""
                + paymentId + "\",\"OriginalAmount\":9000,\"NewAmount\":6000}");
        assertThat(provider.refund(paymentId, "re_ours", io.moneytrail.money.Money.of(3_000, "RUB")))
                .isInstanceOf(ProviderResult.Done.class);
        answers.add(new String[] {"Cancel", "503", "busy"}); // sent; its answer lost
        assertThat(provider.refund(paymentId, "re_lost", io.moneytrail.money.Money.of(1_000, "RUB")))
                .isInstanceOf(ProviderResult.Unknown.class);

        answer("GetState", state("PARTIAL_REFUNDED", 5_000));
        assertThat(refunds(provider.fetch(paymentId))).isEmpty();
        answer("GetState", state("PARTIAL_REFUNDED", 4_500)); // 500 more, made elsewhere
        assertThat(refunds(provider.fetch(paymentId)))
                .containsExactly("found-" + paymentId + "-1 500 " + RefundState.SUCCEEDED);
    }
}
