package io.moneytrail.fiscal;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * 54-FZ receipts ({@code MONEYTRAIL_FISCAL_*}); see docs/fiscal.md.
 *
 * @param provider       {@code none}, {@code atol} or {@code yookassa}; unset: {@code atol} against the in-process
 *                       sandbox's ATOL dialect on the embedded default, {@code none} with an external database
 * @param mode           {@code prepayment} (default) or {@code full_payment}
 * @param inn            the seller's INN
 * @param sno            tax system: osn, usn_income, usn_income_outcome, esn, patent
 * @param paymentAddress the shop's site as receipts name it (54-FZ tag 1187)
 * @param email          the e-mail receipts come from; unset: noreply@ the payment address's host (warned once)
 * @param workerIntervalMs pause between the worker's rounds
 * @param batchMax       receipts claimed per round
 * @param askFirstMs     first question about a sent receipt (then doubling)
 * @param askCapMs       longest pause between questions and between sends
 * @param sendAttemptsMax sends without an answer before the receipt is failed to the review queue
 * @param asksMax        questions without a final answer before the receipt is failed to the review queue
 * @param yookassaReceipts payments through YooKassa get YooKassa's own receipts (implied by provider
 *                       {@code yookassa}; with {@code atol}, the other providers' payments keep ATOL)
 */
@ConfigurationProperties("moneytrail.fiscal")
record FiscalProperties(String provider, String mode, String inn, String sno, String paymentAddress, String email,
                        Long workerIntervalMs, Integer batchMax, Long askFirstMs, Long askCapMs,
                        Integer sendAttemptsMax, Integer asksMax, Boolean yookassaReceipts) {

    FiscalProperties {
        batchMax = batchMax == null ? 20 : batchMax;
        askFirstMs = askFirstMs == null ? 1_000L : askFirstMs;
        askCapMs = askCapMs == null ? 60_000L : askCapMs;
        sendAttemptsMax = sendAttemptsMax == null ? 30 : sendAttemptsMax;
        asksMax = asksMax == null ? 200 : asksMax;
    }
}
