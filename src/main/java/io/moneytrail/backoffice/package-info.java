/**
 * The back office: the web pages for the people who run the store's money (operators,
 * accountants), under {@code /admin}. Server-rendered Thymeleaf templates
 * ({@code templates/admin}), one controller per page, in English and Russian. Pages read through
 * the owning modules' APIs and act through the same service methods the API calls; who may see
 * and do what is {@link io.moneytrail.access.BackofficeRules}, checked by the access module's
 * security chain.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Back office",
        allowedDependencies = {"money", "access", "order", "payment", "ledger", "webhook", "reconrun", "checkout",
                "checkout :: funnel"})
package io.moneytrail.backoffice;
