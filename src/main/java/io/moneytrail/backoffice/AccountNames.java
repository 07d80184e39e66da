package io.moneytrail.backoffice;

import java.util.Locale;
import org.springframework.context.MessageSource;

/**
 * The translated name shown beside a ledger account's code: {@code account.<code>} in the
 * messages ({@code liabilities:customer_advances} → "Customer advances"), or for an account
 * opened per provider or bank ({@code assets:psp:stripe}) its family's name with the last part.
 * Templates reach it as {@code accountNames}.
 */
public final class AccountNames {

    private final MessageSource messages;
    private final Locale locale;

    AccountNames(MessageSource messages, Locale locale) {
        this.messages = messages;
        this.locale = locale;
    }

    public String name(String code) {
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
}
