package io.moneytrail.provider.stripe;

import io.moneytrail.provider.ProviderCredentials;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Stripe is offered when its secret key and webhook secret are both set; with only one of them the
 * start stops with one message naming the missing variable.
 */
class OnStripeCredentials extends SpringBootCondition {

    static final List<String> PROPERTIES = List.of("moneytrail.stripe.secret-key", "moneytrail.stripe.webhook-secret");

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return ProviderCredentials.condition(context.getEnvironment(), "Stripe", PROPERTIES);
    }
}
