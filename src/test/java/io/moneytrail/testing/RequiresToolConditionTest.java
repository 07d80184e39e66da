package io.moneytrail.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionContext;

/** {@link RequiresTool}: run with the tool, skip with a one-line reason without it, fail when tools are required. */
class RequiresToolConditionTest {

    private static final String ABSENT = "moneytrail-no-such-tool-9f3c";

    private final RequiresToolCondition condition = new RequiresToolCondition();

    @AfterEach
    void forget() {
        System.clearProperty("moneytrail.require-tools");
    }

    @Test
    void a_test_whose_tool_is_on_the_path_runs() throws Exception {
        ConditionEvaluationResult result = condition.evaluateExecutionCondition(context("needsSh"));

        assertThat(result.isDisabled()).isFalse();
    }

    @Test
    void a_test_whose_tool_is_missing_is_skipped_with_a_one_line_reason_naming_the_tool_and_the_install_line()
            throws Exception {
        System.setProperty("moneytrail.require-tools", "false");

        ConditionEvaluationResult result = condition.evaluateExecutionCondition(context("needsAbsent"));

        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValueSatisfying(reason -> assertThat(reason)
                .isEqualTo(ABSENT + " is not on the PATH (optional tools; install with: "
                        + "apt-get install hledger ledger beancount)")
                .doesNotContain("\n"));
    }

    @Test
    void a_test_whose_tool_is_missing_fails_when_tools_are_required() throws Exception {
        System.setProperty("moneytrail.require-tools", "true");
        ExtensionContext context = context("needsAbsent");

        assertThatThrownBy(() -> condition.evaluateExecutionCondition(context)).isInstanceOf(AssertionError.class)
                .hasMessage(ABSENT + " is not on the PATH and MONEYTRAIL_REQUIRE_TOOLS=true requires it"
                        + " (optional tools; install with: apt-get install hledger ledger beancount)");
    }

    @Test
    void a_test_without_the_annotation_always_runs() throws Exception {
        System.setProperty("moneytrail.require-tools", "true");

        assertThat(condition.evaluateExecutionCondition(context("needsNothing")).isDisabled()).isFalse();
    }

    @Test
    void only_the_missing_tools_are_named() {
        assertThat(ExternalTools.missing("sh", ABSENT, "ls")).containsExactly(ABSENT);
    }

    private static ExtensionContext context(String method) throws NoSuchMethodException {
        ExtensionContext context = mock(ExtensionContext.class);
        AnnotatedElement element = Samples.class.getDeclaredMethod(method);
        when(context.getElement()).thenReturn(Optional.of(element));
        return context;
    }

    @SuppressWarnings("unused")
    static final class Samples {

        @RequiresTool("sh")
        void needsSh() {
        }

        @RequiresTool({"sh", ABSENT})
        void needsAbsent() {
        }

        void needsNothing() {
        }
    }
}
