/**
 * The ledger's export file formats: an hledger / Ledger journal, a Beancount file and a CSV
 * general journal. Internal to the ledger module: other modules use
 * {@link io.moneytrail.ledger.LedgerExport}, which reads the journal with a server-side cursor
 * and hands the writers one entry at a time.
 */
package io.moneytrail.ledger.export;
