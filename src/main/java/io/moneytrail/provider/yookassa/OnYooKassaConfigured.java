package io.moneytrail.provider.yookassa;

import io.moneytrail.provider.ProviderCredentials;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * YooKassa is offered when its shop id and secret key are both set; with neither it is simply
 * absent, and with only one of them the start stops with a message naming the missing variable.
 */
class OnYooKassaConfigured extends SpringBootCondition {

    static final List<String> CREDENTIALS = List.of("moneytrail.yookassa.shop-id", "moneytrail.yookassa.secret-key");

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return ProviderCredentials.condition(context.getEnvironment(), "YooKassa", CREDENTIALS);
    }
}
