package io.moneytrail.reconrun;

import io.moneytrail.money.MoneytrailException;
import io.moneytrail.reconciliation.Audit;
import io.moneytrail.reconciliation.BankFormat;
import io.moneytrail.reconciliation.ProviderFormat;
import java.nio.file.Path;
import java.util.Locale;

/** Wire names of file kinds and formats, and detection. */
final class FileFormats {

    static final String PROVIDER = "provider";
    static final String BANK = "bank";

    private FileFormats() {
    }

    static String kind(String kind) {
        if (PROVIDER.equals(kind) || BANK.equals(kind)) {
            return kind;
        }
        throw MoneytrailException.invalid("parameter_invalid", "kind", "kind is provider or bank");
    }

    /** The format's wire name, detected from the file when {@code format} is null, blank or {@code detect}. */
    static String format(String kind, String format, Path file, String name) {
        String wanted = format == null || format.isBlank() ? "detect" : format.trim().toLowerCase(Locale.ROOT);
        if (PROVIDER.equals(kind)) {
            if ("detect".equals(wanted)) {
                try {
                    return Audit.detectProvider(file).wireName();
                } catch (MoneytrailException e) {
                    throw MoneytrailException.invalid("format_unknown", "format", name
                            + ": cannot tell which provider's report this is; name it with format=stripe|yookassa|sandbox");
                }
            }
            provider(wanted);
            return wanted;
        }
        if ("detect".equals(wanted)) {
            try {
                return wire(Audit.detectBank(file));
            } catch (MoneytrailException e) {
                throw MoneytrailException.invalid("format_unknown", "format", name
                        + ": cannot tell the bank statement's format; name it with format=camt053|mt940|1c");
            }
        }
        bank(wanted);
        return wanted;
    }

    static ProviderFormat provider(String wire) {
        switch (wire) {
            case "stripe":
                return ProviderFormat.STRIPE;
            case "yookassa":
                return ProviderFormat.YOOKASSA;
            case "sandbox":
                return ProviderFormat.SANDBOX;
            default:
                throw MoneytrailException.invalid("parameter_invalid", "format",
                        "a provider report's format is stripe, yookassa, sandbox or detect");
        }
    }

    static BankFormat bank(String wire) {
        switch (wire) {
            case "camt053":
                return BankFormat.CAMT053;
            case "mt940":
                return BankFormat.MT940;
            case "1c":
                return BankFormat.CLIENT_BANK_EXCHANGE;
            default:
                throw MoneytrailException.invalid("parameter_invalid", "format",
                        "a bank statement's format is camt053, mt940, 1c or detect");
        }
    }

    static String wire(BankFormat format) {
        return format == BankFormat.CLIENT_BANK_EXCHANGE ? "1c" : format.wireName();
    }
}
