package io.moneytrail.provider;

/** A provider's settings that cannot work together; the start is refused with this message. */
public class ProviderMisconfiguredException extends RuntimeException {

    public static final String ACTION = "Set all of the provider's variables, or none of them to leave it off "
            + "(docs/providers.md lists them).";

    public ProviderMisconfiguredException(String message) {
        super(message);
    }
}
