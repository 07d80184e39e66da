package io.moneytrail.fiscal;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * What the fiscal drive put on a registered receipt (ATOL v5's {@code payload}): the fiscal drive's
 * number ({@code fn_number}, tag 1041), the fiscal document's number (tag 1040) and its fiscal sign
 * ({@code fiscal_document_attribute}, tag 1077), the receipt's number in the shift, the shift, the
 * date and time, the register's registration number (tag 1037), and the tax service's site. A receipt
 * YooKassa registered also has YooKassa's {@code registered_at} (an instant) and {@code fiscal_provider_id}
 * (null for ATOL's).
 */
public record FiscalAttributes(String fnNumber, long fiscalDocumentNumber, long fiscalDocumentAttribute,
                               Long fiscalReceiptNumber, Long shiftNumber, LocalDateTime receiptDatetime,
                               String ecrRegistrationNumber, String fnsSite, String ofdInn,
                               java.time.Instant registeredAt, String fiscalProviderId) {

    public FiscalAttributes(String fnNumber, long fiscalDocumentNumber, long fiscalDocumentAttribute,
                            Long fiscalReceiptNumber, Long shiftNumber, LocalDateTime receiptDatetime,
                            String ecrRegistrationNumber, String fnsSite, String ofdInn) {
        this(fnNumber, fiscalDocumentNumber, fiscalDocumentAttribute, fiscalReceiptNumber, shiftNumber, receiptDatetime,
                ecrRegistrationNumber, fnsSite, ofdInn, null, null);
    }

    private static final DateTimeFormatter QR_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm");

    /**
     * The string a customer's receipt carries as its QR code (the FNS's check of a receipt):
     * {@code t=<yyyyMMddTHHmm>&s=<total, roubles with a dot>&fn=<fn>&i=<document number>&fp=<fiscal sign>&n=<operation>}.
     */
    public String qr(long totalMinor, ReceiptType type) {
        return "t=" + QR_TIME.format(receiptDatetime) + "&s=" + BigDecimal.valueOf(totalMinor, 2).toPlainString()
                + "&fn=" + fnNumber + "&i=" + fiscalDocumentNumber + "&fp=" + fiscalDocumentAttribute
                + "&n=" + type.operation();
    }
}
