package io.moneytrail.fiscal;

import java.util.Map;

/**
 * A fiscal provider: registers a receipt and says what became of it. Implementations never throw for
 * a provider's or the network's trouble: they answer {@link Outcome.Unknown}, and the worker asks
 * again later (the document's {@code external_id} keeps a repeated send from registering twice).
 */
interface FiscalProvider {

    /** {@code atol} or {@code yookassa}, as receipts record it. */
    String name();

    /** Sends the receipt for registration. */
    Outcome register(Receipt receipt);

    /** Asks what became of a receipt the provider took ({@link Receipt#externalUuid()}). */
    Outcome report(Receipt receipt);

    /** What the provider said. */
    sealed interface Outcome {

        /** Taken for registration as {@code uuid}; the answer comes later. */
        record Accepted(String uuid) implements Outcome {
        }

        /** Still being registered ({@code wait}). */
        record Waiting() implements Outcome {
        }

        /** Registered; {@code fiscal}: the attributes as stored (ATOL payload's field names). */
        record Done(String uuid, Map<String, Object> fiscal) implements Outcome {
        }

        /** Refused ({@code fail}), with the provider's error. */
        record Failed(String uuid, ReceiptError error) implements Outcome {
        }

        /** No answer (timeout, 5xx, garbage): ask again. */
        record Unknown(String reason) implements Outcome {
        }
    }
}
