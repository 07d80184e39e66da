/**
 * The YooKassa adapter (API v3 over a Spring {@code RestClient}): payments with a redirect
 * confirmation, two-stage capture, cancel, refunds, the resolver's check, and notifications
 * accepted from YooKassa's published networks only. Its status table is {@link
 * io.moneytrail.provider.yookassa.YooKassaStatuses}.
 */
package io.moneytrail.provider.yookassa;
