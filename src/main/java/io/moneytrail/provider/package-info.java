/**
 * Provider adapters, one sub-package per provider. Each implements the payment module's
 * {@link io.moneytrail.payment.PaymentProvider} SPI over the provider's real HTTP API and maps
 * the provider's statuses to ours in one place.
 */
package io.moneytrail.provider;
