package io.moneytrail.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test (or every test of the class) runs an outside program that is not a Java
 * dependency, such as {@code hledger}, {@code ledger}, {@code bean-check} or Chromium. When a
 * named program is not on the {@code PATH} the test is skipped with a one-line reason; with
 * {@code MONEYTRAIL_REQUIRE_TOOLS=true} (as {@code .ci/run} sets) it fails instead.
 *
 * @see ExternalTools
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RequiresToolCondition.class)
public @interface RequiresTool {

    /** Program names looked up on the {@code PATH}, such as {@code "hledger"}. */
    String[] value();
}
