package io.moneytrail.provider;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints a refused provider configuration as Spring Boot's "APPLICATION FAILED TO START" report, no stack trace. */
public class ProviderFailureAnalyzer extends AbstractFailureAnalyzer<ProviderMisconfiguredException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ProviderMisconfiguredException cause) {
        return new FailureAnalysis(cause.getMessage(), ProviderMisconfiguredException.ACTION, cause);
    }
}
