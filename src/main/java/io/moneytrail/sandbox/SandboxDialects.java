package io.moneytrail.sandbox;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** The dialects this sandbox speaks, by name; looked up lazily so dialects may use the store and URLs. */
@Component
@ConditionalOnSandbox
class SandboxDialects {

    private final ObjectProvider<SandboxDialect> dialects;
    private volatile Map<String, SandboxDialect> byName;

    SandboxDialects(ObjectProvider<SandboxDialect> dialects) {
        this.dialects = dialects;
    }

    /** The named dialect; the sandbox's own ({@link SandboxPayment#SANDBOX}) has none. */
    SandboxDialect get(String name) {
        Map<String, SandboxDialect> known = byName;
        if (known == null) {
            known = dialects.orderedStream().collect(Collectors.toUnmodifiableMap(SandboxDialect::name,
                    Function.identity()));
            byName = known;
        }
        SandboxDialect dialect = known.get(name);
        if (dialect == null) {
            throw new IllegalStateException("the sandbox speaks no dialect '" + name + "'");
        }
        return dialect;
    }

    static boolean own(String dialect) {
        return dialect == null || SandboxPayment.SANDBOX.equals(dialect);
    }
}
