package io.moneytrail.testing;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Decides {@link RequiresTool}: enabled when every named program is on the {@code PATH};
 * otherwise disabled with a one-line reason, or, when tools are required
 * ({@link ExternalTools#required()}), a failure of the test.
 */
final class RequiresToolCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<RequiresTool> annotation = context.getElement()
                .flatMap(element -> AnnotationSupport.findAnnotation(element, RequiresTool.class));
        if (annotation.isEmpty()) {
            return ConditionEvaluationResult.enabled("no outside tool needed");
        }
        List<String> missing = ExternalTools.missing(annotation.get().value());
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("on the PATH: " + String.join(", ", annotation.get().value()));
        }
        String reason = ExternalTools.reason(missing);
        if (ExternalTools.required()) {
            throw new MissingToolError(reason);
        }
        return ConditionEvaluationResult.disabled(reason);
    }

    /** A required outside tool is missing: the test fails rather than being skipped. */
    static final class MissingToolError extends AssertionError {

        private static final long serialVersionUID = 1L;

        MissingToolError(String message) {
            super(message);
        }
    }
}
