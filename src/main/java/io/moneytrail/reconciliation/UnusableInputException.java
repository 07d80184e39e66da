package io.moneytrail.reconciliation;

import io.moneytrail.money.ErrorType;
import io.moneytrail.money.MoneytrailException;

/**
 * A file that cannot be used at all: wrong encoding, a foreign camt.053 namespace or
 * version, a missing or changed CSV header, a file past a size limit, an XML document with
 * a DTD. The message names the file and the problem (and the line, where there is one).
 */
public final class UnusableInputException extends MoneytrailException {

    public UnusableInputException(String file, String problem) {
        super(ErrorType.INVALID_REQUEST, 400, "unusable_input", "file", file + ": " + problem);
    }

    public UnusableInputException(String file, long line, String problem) {
        super(ErrorType.INVALID_REQUEST, 400, "unusable_input", "file", file + ":" + line + ": " + problem);
    }
}
