package io.moneytrail.backoffice;

import java.util.Locale;
import org.springframework.context.MessageSource;

/**
 * Translated labels of codes a page shows: the name beside a ledger account's code
 * ({@code account.<code>} in the messages: {@code liabilities:customer_advances} → "Customer
 * advances"; for an account opened per provider or bank, {@code assets:psp:stripe}, its family's
 * name with the last part), and the name of a status ({@code status.<wire>}; the wire name when
 * none). Templates reach it as {@code labels}.
 */
public final class Labels {

    private final MessageSource messages;
    private final Locale locale;

    Labels(MessageSource messages, Locale locale) {
        this.messages = messages;
        this.locale = locale;
    }

    public String account(String code) {
        String key = "account." + code.replace(':', '.');
        String exact = messages.getMessage(key, null, null, locale);
        if (exact != null) {
            return exact;
        }
        int last = code.lastIndexOf(':');
        if (last > 0) {
            String family = messages.getMessage("account." + code.substring(0, last).replace(':', '.'),
                    new Object[] {code.substring(last + 1)}, null, locale);
            if (family != null) {
                return family;
            }
        }
        return "";
    }

    public String status(String wire) {
        return wire == null ? "" : messages.getMessage("status." + wire, null, wire, locale);
    }
}
