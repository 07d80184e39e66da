package io.moneytrail.sandbox;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints a refused sandbox configuration as Spring Boot's "APPLICATION FAILED TO START" report, no stack trace. */
public class SandboxFailureAnalyzer extends AbstractFailureAnalyzer<UnsafeSandboxException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnsafeSandboxException cause) {
        String message = cause.getMessage();
        String description = message.endsWith(UnsafeSandboxException.ACTION)
                ? message.substring(0, message.length() - UnsafeSandboxException.ACTION.length()).strip()
                : message;
        return new FailureAnalysis(description, UnsafeSandboxException.ACTION, cause);
    }
}
