/**
 * The 1C exchange: the protocol 1C (Управление торговлей, УНФ, Бухгалтерия) speaks to online
 * stores ("обмен с сайтом", {@code /1c/exchange?type=sale&mode=…}), carrying CommerceML 2.10.
 * Orders that changed since 1C's last acknowledged exchange go out as {@code Документ}s of a
 * {@code КоммерческаяИнформация}; 1C's changes (an order shipped, an order cancelled) come back
 * in a file and are applied through the order module's transition table with the API's checks.
 * {@code docs/1c.md} is the prose of it; the HTTP edge is {@code api.OnecExchangeController},
 * the login is {@code access.OnecLogin}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "1C exchange",
        allowedDependencies = {"order", "payment", "access", "money", "database"})
package io.moneytrail.onec;
