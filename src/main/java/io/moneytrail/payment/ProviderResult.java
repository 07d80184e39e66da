package io.moneytrail.payment;

/**
 * The complete set of outcomes of a provider call. {@link Unknown} is first-class: a
 * timeout, a dropped connection, a 5xx or an unparseable answer.
 */
public sealed interface ProviderResult<T> {

    record Done<T>(T value) implements ProviderResult<T> {
    }

    /** The provider answered and refused (declined, invalid state, amount too large). */
    record Rejected<T>(String code, String message) implements ProviderResult<T> {
    }

    /** We do not know whether the call took effect. */
    record Unknown<T>(String reason) implements ProviderResult<T> {
    }
}
