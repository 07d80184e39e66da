package io.moneytrail.provider.tbank;

import io.moneytrail.provider.ProviderCredentials;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * T-Bank is offered when its terminal key and password are both set; neither set, it is not;
 * one without the other stops the start with a message naming what is missing.
 */
class OnTBankProvider extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return outcome(context.getEnvironment());
    }

    static ConditionOutcome outcome(PropertyResolver environment) {
        return ProviderCredentials.condition(environment, "T-Bank",
                List.of("moneytrail.tbank.terminal-key", "moneytrail.tbank.password"));
    }
}
