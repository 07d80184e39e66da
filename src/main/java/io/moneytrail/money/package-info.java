/**
 * Shared kernel: {@link io.moneytrail.money.Money}, typed ids, transition tables, invariant
 * checks and the named failures every module throws.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package io.moneytrail.money;
