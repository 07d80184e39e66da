package io.moneytrail.provider.sandbox;

import java.util.Locale;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether Moneytrail offers the sandbox as a payment provider: {@code
 * moneytrail.provider.sandbox.enabled} when set; otherwise when there is a sandbox to talk to,
 * one in this process (on by default with the embedded database, off with an external one,
 * as the sandbox module decides) or one at a configured {@code moneytrail.provider.sandbox.base-url}.
 * So a production service on an external database offers no sandbox provider unless asked.
 */
class OnSandboxProvider extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return outcome(context.getEnvironment());
    }

    static ConditionOutcome outcome(PropertyResolver environment) {
        Boolean explicit = flag(environment, "moneytrail.provider.sandbox.enabled");
        if (explicit != null) {
            return new ConditionOutcome(explicit, "moneytrail.provider.sandbox.enabled=" + explicit);
        }
        if (hasText(environment.getProperty("moneytrail.provider.sandbox.base-url"))) {
            return ConditionOutcome.match("a sandbox base URL is configured");
        }
        Boolean sandbox = flag(environment, "moneytrail.sandbox.enabled");
        boolean inProcess = sandbox != null ? sandbox : !hasText(environment.getProperty("moneytrail.db.url"));
        return new ConditionOutcome(inProcess, inProcess ? "the sandbox runs in this process"
                : "no sandbox in this process and no sandbox base URL");
    }

    private static Boolean flag(PropertyResolver environment, String name) {
        String value = environment.getProperty(name);
        if (!hasText(value)) {
            return null;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException(name + " is true or false, not '" + value + "'");
        };
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
