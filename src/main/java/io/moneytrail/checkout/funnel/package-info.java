/**
 * The checkout funnel report: for the journeys that started in a period (a checkout session,
 * or an order paid through the API without one), how many reached each step, the conversion
 * from the step before, the decline reasons, the time from the first view to paid and where
 * abandoned sessions stopped. It reads the recorded steps only through
 * {@link io.moneytrail.checkout.FunnelEvents}; the API ({@code GET /v1/reports/funnel}) and the
 * back office ({@code /admin/reports/funnel}) show it. Definitions: {@code docs/checkout.md},
 * "Funnel".
 */
@org.springframework.modulith.NamedInterface("funnel")
package io.moneytrail.checkout.funnel;
