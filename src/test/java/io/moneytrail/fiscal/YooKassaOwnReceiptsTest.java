package io.moneytrail.fiscal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.moneytrail.money.Money;
import io.moneytrail.payment.CaptureMethod;
import io.moneytrail.payment.Payment;
import io.moneytrail.payment.PaymentQueries;
import io.moneytrail.payment.PaymentState;
import io.moneytrail.payment.ProviderReceipt;
import io.moneytrail.payment.ProviderReceipts;
import io.moneytrail.payment.ProviderResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * YooKassa's own receipts as a fiscal provider, against a scripted YooKassa: which of YooKassa's receipts
 * answers ours, what each status becomes, the fiscal attributes kept, and what is sent on its own (the
 * offset; a payment that went without a receipt; a retry).
 */
class YooKassaOwnReceiptsTest {

    private static final String YOOKASSA_PAYMENT = "30f5e8b1-000f-5000-9000-1c2d3e4f5a6b";
    private static final Map<String, Object> SUCCEEDED = Map.of("fiscal_document_number", "3986",
            "fiscal_storage_number", "9288000100115785", "fiscal_attribute", "2617603921",
            "registered_at", "2026-12-01T20:05:18.000Z", "fiscal_provider_id", "fd9e9404-eaca-4000-8ec9-dc228ead2346");

    /** A YooKassa that answers from lists and records what it was sent. */
    private static final class ScriptedYooKassa implements ProviderReceipts {
        final List<Registration> listed = new ArrayList<>();
        String registration;
        final List<ProviderReceipt> sent = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        Registration answer;

        @Override
        public String provider() {
            return "yookassa";
        }

        @Override
        public ProviderResult<Registration> register(ProviderReceipt receipt, String idempotencyKey) {
            sent.add(receipt);
            keys.add(idempotencyKey);
            return new ProviderResult.Done<>(new Registration("own-1", receipt.kind(), "pending",
                    !receipt.settlements().isEmpty() && "prepayment".equals(receipt.settlements().get(0).type()),
                    receipt.total(), Map.of()));
        }

        @Override
        public ProviderResult<Registration> get(String id) {
            return new ProviderResult.Done<>(answer);
        }

        @Override
        public ProviderResult<List<Registration>> of(String providerPaymentId, String providerRefundId) {
            return new ProviderResult.Done<>(List.copyOf(listed));
        }

        @Override
        public ProviderResult<String> registrationOf(String providerPaymentId, String providerRefundId) {
            return new ProviderResult.Done<>(registration);
        }
    }

    private final ScriptedYooKassa yookassa = new ScriptedYooKassa();
    private final PaymentQueries payments = mock(PaymentQueries.class);
    private YooKassaOwnReceipts provider;

    @BeforeEach
    void setUp() {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("yookassa", yookassa);
        provider = new YooKassaOwnReceipts(beans.getBeanProvider(ProviderReceipts.class), payments,
                new FiscalSettings("yookassa", FiscalMode.PREPAYMENT, new FiscalCompany(null, "osn", null, null)));
        when(payments.get("pay_yk")).thenReturn(payment("pay_yk", "yookassa", YOOKASSA_PAYMENT));
        when(payments.get("pay_sbx")).thenReturn(payment("pay_sbx", "sandbox", "sbx_1"));
    }

    private static Payment payment(String id, String provider, String providerId) {
        return new Payment(id, "ord_1", provider, providerId, CaptureMethod.AUTOMATIC, PaymentState.CAPTURED,
                Money.of(218000, "RUB"), 218000, 218000, 0, 0, null, null, null, null, Instant.EPOCH);
    }

    private static Receipt receipt(ReceiptPurpose purpose, String paymentId, Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>(Map.of("client", Map.of("email", "buyer@example.com")));
        data.putAll(extra);
        List<ReceiptItem> items = List.of(new ReceiptItem("Чайник", "KETTLE", 218000, 1, 218000,
                purpose == ReceiptPurpose.OFFSET ? "vat22" : "vat122", 39311, 1, 0));
        return new Receipt("rct_1", "ord_1", paymentId, null, ReceiptType.SELL, purpose == ReceiptPurpose.OFFSET
                ? ReceiptPaymentMethod.FULL_PAYMENT : ReceiptPaymentMethod.FULL_PREPAYMENT, purpose,
                ReceiptStatus.PENDING, 218000, "RUB", items, Map.of(), "yookassa", "rct_1", null, null, null, data, null,
                0, Instant.EPOCH, Instant.EPOCH);
    }

    private static ProviderReceipts.Registration listed(String id, String status, boolean offset, long total) {
        return new ProviderReceipts.Registration(id, ProviderReceipt.Kind.PAYMENT, status, offset, total,
                "succeeded".equals(status) ? SUCCEEDED : Map.of());
    }

    @Test
    void the_receipt_that_went_with_the_payment_is_found_by_payment_id_and_its_status_becomes_ours() {
        yookassa.listed.add(listed("canceled-old", "canceled", false, 218000));
        yookassa.listed.add(listed("offset", "succeeded", true, 218000));
        yookassa.listed.add(listed("advance", "pending", false, 218000));
        assertThat(provider.register(receipt(ReceiptPurpose.PREPAYMENT, "pay_yk", Map.of())))
                .isEqualTo(new FiscalProvider.Outcome.Accepted("advance"));
        assertThat(yookassa.sent).isEmpty();

        yookassa.answer = listed("advance", "pending", false, 218000);
        assertThat(provider.report(receiptTaken())).isInstanceOf(FiscalProvider.Outcome.Waiting.class);
        yookassa.answer = listed("advance", "succeeded", false, 218000);
        FiscalProvider.Outcome done = provider.report(receiptTaken());
        assertThat(done).isInstanceOf(FiscalProvider.Outcome.Done.class);
        Map<String, Object> fiscal = ((FiscalProvider.Outcome.Done) done).fiscal();
        assertThat(fiscal).containsEntry("fn_number", "9288000100115785").containsEntry("fiscal_document_number", 3986L)
                .containsEntry("fiscal_document_attribute", 2617603921L)
                .containsEntry("receipt_datetime", "2026-12-01T23:05:18")
                .containsEntry("fiscal_provider_id", "fd9e9404-eaca-4000-8ec9-dc228ead2346");
        yookassa.answer = listed("advance", "canceled", false, 218000);
        assertThat(provider.report(receiptTaken())).isEqualTo(new FiscalProvider.Outcome.Failed("advance",
                new ReceiptError(null, "YooKassa canceled the receipt's registration", "yookassa")));
    }

    private static Receipt receiptTaken() {
        Receipt r = receipt(ReceiptPurpose.PREPAYMENT, "pay_yk", Map.of());
        return new Receipt(r.id(), r.orderId(), r.paymentId(), r.refundId(), r.type(), r.paymentMethod(), r.purpose(),
                r.status(), r.total(), r.currency(), r.items(), r.vats(), r.provider(), r.externalId(), "advance",
                null, null, r.data(), null, 1, r.createdAt(), r.updatedAt());
    }

    @Test
    void a_partial_captures_receipt_is_the_one_for_our_total() {
        yookassa.listed.add(listed("first", "succeeded", false, 300000));
        yookassa.listed.add(listed("captured", "succeeded", false, 218000));
        assertThat(provider.register(receipt(ReceiptPurpose.PREPAYMENT, "pay_yk", Map.of())))
                .isInstanceOfSatisfying(FiscalProvider.Outcome.Done.class, d -> assertThat(d.uuid()).isEqualTo("captured"));
    }

    @Test
    void a_payment_that_went_without_a_receipt_gets_it_sent_on_its_own_and_one_yookassa_canceled_fails() {
        yookassa.registration = null;
        assertThat(provider.register(receipt(ReceiptPurpose.PREPAYMENT, "pay_yk", Map.of())))
                .isEqualTo(new FiscalProvider.Outcome.Accepted("own-1"));
        assertThat(yookassa.sent).singleElement().satisfies(sent -> {
            assertThat(sent.providerPaymentId()).isEqualTo(YOOKASSA_PAYMENT);
            assertThat(sent.settlements()).containsExactly(new ProviderReceipt.Settlement("cashless", 218000));
            assertThat(sent.items()).extracting(ProviderReceipt.Item::paymentMode).containsOnly("full_prepayment");
        });
        assertThat(yookassa.keys).containsExactly("rct_1");

        yookassa.registration = "canceled";
        assertThat(provider.register(receipt(ReceiptPurpose.PREPAYMENT, "pay_yk", Map.of())))
                .isInstanceOf(FiscalProvider.Outcome.Failed.class);
        yookassa.registration = "pending";
        assertThat(provider.register(receipt(ReceiptPurpose.PREPAYMENT, "pay_yk", Map.of())))
                .isInstanceOf(FiscalProvider.Outcome.Unknown.class);
    }

    @Test
    void the_offset_goes_on_its_own_to_the_advances_payment_settled_by_the_prepayment() {
        assertThat(provider.register(receipt(ReceiptPurpose.OFFSET, null, Map.of("payment", "pay_yk"))))
                .isEqualTo(new FiscalProvider.Outcome.Accepted("own-1"));
        ProviderReceipt sent = yookassa.sent.get(0);
        assertThat(sent.kind()).isEqualTo(ProviderReceipt.Kind.PAYMENT);
        assertThat(sent.providerPaymentId()).isEqualTo(YOOKASSA_PAYMENT);
        assertThat(sent.settlements()).containsExactly(new ProviderReceipt.Settlement("prepayment", 218000));
        assertThat(sent.items()).extracting(ProviderReceipt.Item::vat, ProviderReceipt.Item::paymentMode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("vat22", "full_payment"));
        assertThat(sent.email()).isEqualTo("buyer@example.com");
        assertThat(sent.taxSystem()).isEqualTo("osn");
    }

    @Test
    void a_retried_receipt_is_sent_again_on_its_own_settled_cashless() {
        assertThat(provider.register(receipt(ReceiptPurpose.PREPAYMENT, "pay_yk",
                Map.of("earlier_external_ids", List.of(Map.of("external_id", "rct_1"))))))
                .isEqualTo(new FiscalProvider.Outcome.Accepted("own-1"));
        assertThat(yookassa.sent.get(0).settlements()).containsExactly(new ProviderReceipt.Settlement("cashless", 218000));
    }

    @Test
    void a_payment_through_another_provider_and_a_correction_are_refused_saying_why() {
        FiscalProvider.Outcome other = provider.register(receipt(ReceiptPurpose.PREPAYMENT, "pay_sbx", Map.of()));
        assertThat(other).isInstanceOfSatisfying(FiscalProvider.Outcome.Failed.class, f -> {
            assertThat(f.error().type()).isEqualTo("moneytrail");
            assertThat(f.error().text()).contains("paid through sandbox");
        });
        Receipt r = receipt(ReceiptPurpose.CORRECTION, "pay_yk", Map.of());
        Receipt correction = new Receipt(r.id(), r.orderId(), r.paymentId(), null, ReceiptType.SELL_CORRECTION,
                r.paymentMethod(), r.purpose(), r.status(), r.total(), r.currency(), r.items(), r.vats(), r.provider(),
                r.externalId(), null, null, null, r.data(), "rct_0", 0, r.createdAt(), r.updatedAt());
        assertThat(provider.register(correction)).isInstanceOfSatisfying(FiscalProvider.Outcome.Failed.class,
                f -> assertThat(f.error().text()).contains("no correction receipts"));
    }
}
