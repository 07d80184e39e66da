package io.moneytrail.provider.tbank;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.payment.PaymentState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status table covers every status T-Bank documents, and maps the money-moving ones as the API describes them. */
class TBankStatusTest {

    /** The payment statuses of the card and SBP status models and the status reference of T-Bank's API documentation. */
    static final List<String> DOCUMENTED = List.of("NEW", "FORM_SHOWED", "AUTHORIZING", "3DS_CHECKING", "3DS_CHECKED",
            "AUTHORIZED", "PAY_CHECKING", "CONFIRMING", "CONFIRM_CHECKING", "CONFIRMED", "REVERSING",
            "PARTIAL_REVERSED", "REVERSED", "REFUNDING", "ASYNC_REFUNDING", "PARTIAL_REFUNDED", "REFUNDED",
            "CANCELED", "DEADLINE_EXPIRED", "ATTEMPTS_EXPIRED", "REJECTED", "AUTH_FAIL");

    @Test
    void every_documented_status_has_a_row_and_nothing_else_does() {
        assertThat(TBankStatus.TABLE.keySet()).containsExactlyInAnyOrderElementsOf(DOCUMENTED);
    }

    @Test
    void statuses_in_flight_or_beyond_our_model_are_unknown() {
        for (String status : List.of("CONFIRMING", "CONFIRM_CHECKING", "REVERSING", "PARTIAL_REVERSED")) {
            assertThat(TBankStatus.of(status).orElseThrow().state()).as(status).isNull();
        }
        assertThat(TBankStatus.of("FORMSHOWED")).isEmpty(); // not T-Bank's spelling: unknown, never guessed
        assertThat(TBankStatus.of("UNKNOWN")).isEmpty();
    }

    @Test
    void money_statuses_map_as_documented() {
        assertThat(TBankStatus.of("AUTHORIZED").orElseThrow().state()).isEqualTo(PaymentState.AUTHORIZED);
        assertThat(TBankStatus.of("CONFIRMED").orElseThrow().state()).isEqualTo(PaymentState.CAPTURED);
        assertThat(TBankStatus.of("PARTIAL_REFUNDED").orElseThrow().money()).isEqualTo(TBankStatus.Money.TAKEN);
        assertThat(TBankStatus.of("REVERSED").orElseThrow().state()).isEqualTo(PaymentState.VOIDED);
        assertThat(TBankStatus.of("REVERSED").orElseThrow().money()).isEqualTo(TBankStatus.Money.RELEASED);
        assertThat(TBankStatus.of("CANCELED").orElseThrow().money()).isEqualTo(TBankStatus.Money.NONE);
        assertThat(TBankStatus.of("REJECTED").orElseThrow().state()).isEqualTo(PaymentState.FAILED);
        assertThat(TBankStatus.of("DEADLINE_EXPIRED").orElseThrow().state()).isEqualTo(PaymentState.EXPIRED);
    }
}
