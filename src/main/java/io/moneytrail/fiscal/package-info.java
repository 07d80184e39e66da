/**
 * 54-FZ fiscal receipts: what each money fact and fulfilment calls for ({@code ReceiptRules}), the
 * receipt intents committed with those facts, their sending through a fiscal provider (ATOL Online
 * v5, or YooKassa's own receipts), the answers, retries and corrections. The public read API is
 * {@link io.moneytrail.fiscal.Receipts}; the rest is the module's own.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Fiscal receipts (54-FZ)")
package io.moneytrail.fiscal;
