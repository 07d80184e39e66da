/**
 * The hosted checkout: checkout sessions a store creates for an order, the customer's page
 * ({@code /checkout/{token}}) that shows only what the money says, and the funnel's step events
 * ({@code checkout_events}) with their public read API {@link io.moneytrail.checkout.FunnelEvents}.
 * Owns the tables {@code checkout_sessions} and {@code checkout_events}; uses the order and
 * payment modules through their public APIs only. See {@code docs/checkout.md}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Checkout")
package io.moneytrail.checkout;
