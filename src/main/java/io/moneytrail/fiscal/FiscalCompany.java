package io.moneytrail.fiscal;

/**
 * The seller as a receipt names it (ATOL v5 {@code company}): its INN, tax system
 * ({@code osn}, {@code usn_income}, {@code usn_income_outcome}, {@code esn}, {@code patent}), the
 * payment address (the shop's site, 54-FZ tag 1187) and the e-mail receipts come from.
 */
record FiscalCompany(String inn, String sno, String paymentAddress, String email) {
}
