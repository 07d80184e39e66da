package io.moneytrail;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Rules on the code's shape that {@code ApplicationModules.verify()} does not check (see
 * {@link ModularityTest} for the module graph). Most rules hold outright. Three are written as a
 * violation list that may only shrink: each entry says why it is there, a new violation fails,
 * and so does an entry that no longer matches anything (delete the line: the rule got stronger).
 * Modules are the top-level packages under {@code io.moneytrail}.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.moneytrail");

    /** Types through which a class runs SQL of its own (not the exceptions a handler maps). */
    private static final String[] SQL = {"org.springframework.jdbc.core..", "org.springframework.jdbc.datasource..",
            "javax.sql.."};

    /**
     * Classes that use another module's {@code @Repository}: "origin class -> repository". A
     * repository is how its module reads and writes its own tables; other modules should use the
     * module's service or a read model. Each line goes when its module's repository becomes
     * package-private (issue 10, item 2: helpers "core" and "ownership").
     */
    private static final Map<String, String> FOREIGN_REPOSITORY_USES = Map.ofEntries(
            Map.entry("ledger.LedgerPostings -> order.Orders", "reads the order behind a money event to post it"));

    /**
     * Public classes that run SQL: a module's table access should be package-private (or in an
     * {@code internal} package) so that no other module can reach past the module's API. Each
     * line goes when the class becomes package-private (issue 10, item 2) or stops running SQL.
     */
    private static final Map<String, String> PUBLIC_SQL_CLASSES = Map.ofEntries(
            Map.entry("access.ApiKeys", "used by api (keys controller) and cli (keys command)"),
            Map.entry("access.AuditLog", "read by api's audit log controller"),
            Map.entry("access.AuditTrail", "every module records audit rows through it: the module's API"),
            Map.entry("access.Users", "used by api (users controller), cli (users command) and the security chain"),
            Map.entry("ledger.Balances", "ledger API (api, cli)"),
            Map.entry("ledger.AdjustmentProposals", "ledger API (api and backoffice: four-eyes adjustments)"),
            Map.entry("ledger.BulkJournal", "ledger API (cli benches)"),
            Map.entry("ledger.Journal", "ledger API (api, reconrun adjustments)"),
            Map.entry("ledger.LedgerExport", "ledger API (api, cli export)"),
            Map.entry("order.Orders", "used by ledger (LedgerPostings), see FOREIGN_REPOSITORY_USES"),
            Map.entry("order.Timeline", "written by payment, read by api"),
            Map.entry("reconrun.ReconExceptions", "reconrun API (api)"),
            Map.entry("reconrun.ReconFiles", "reconrun API (api, cli)"),
            Map.entry("reconrun.ReconRuns", "reconrun API (api, cli)"),
            Map.entry("webhook.Outbox", "webhook API (api events controller)"),
            Map.entry("webhook.WebhookEndpoints", "webhook API (api endpoints controller)"),
            Map.entry("webhook.WebhookInbox", "webhook API (api receives provider webhooks through it)"));

    /** The most collaborators a bean's constructor takes; more is a class doing several jobs. */
    private static final int MAX_COLLABORATORS = 8;

    /** Beans over {@link #MAX_COLLABORATORS}, with their count. Each line goes when the bean is split. */
    private static final Map<String, String> BEANS_WITH_TOO_MANY_COLLABORATORS = Map.of();

    @Test
    void controllers_live_in_the_api_the_back_office_or_the_sandbox() {
        classes().that().areAnnotatedWith(RestController.class)
                .or().areAnnotatedWith(org.springframework.stereotype.Controller.class)
                .or().areAnnotatedWith(ControllerAdvice.class)
                .or().areAnnotatedWith(RestControllerAdvice.class)
                .should().resideInAnyPackage("io.moneytrail.api..", "io.moneytrail.backoffice..",
                        "io.moneytrail.sandbox..", "io.moneytrail.checkout..")
                .because("the api module is the machines' HTTP surface and the back office the people's (its pages"
                        + " call the same module APIs); the sandbox is a separate (fake) provider; the hosted"
                        + " checkout page is the customer's (its module owns it, as it owns the sessions)")
                .check(MAIN);
    }

    @Test
    void servlet_and_spring_mvc_types_stay_at_the_http_edge() {
        noClasses().that().resideOutsideOfPackages("io.moneytrail.api..", "io.moneytrail.access..",
                        "io.moneytrail.backoffice..", "io.moneytrail.sandbox..", "io.moneytrail.cli..",
                        "io.moneytrail.checkout..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.servlet..", "org.springframework.web.bind..",
                        "org.springframework.web.servlet..", "org.springframework.web.filter..",
                        "org.springframework.web.method..", "org.springframework.web.context..",
                        "org.springframework.http.server..")
                .because("domain modules are called with values, not requests; access holds the security filter chains,"
                        + " the back office its pages")
                .check(MAIN);
    }

    @Test
    void controllers_run_no_sql() {
        noClasses().that().areAnnotatedWith(RestController.class)
                .or().areAnnotatedWith(org.springframework.stereotype.Controller.class)
                .or().areAnnotatedWith(ControllerAdvice.class)
                .or().areAnnotatedWith(RestControllerAdvice.class)
                .should().dependOnClassesThat().resideInAnyPackage(SQL)
                .because("a controller calls its module's API; the SQL lives with the table's owner")
                .check(MAIN);
    }

    @Test
    void the_api_runs_sql_only_on_its_own_idempotency_table() {
        noClasses().that().resideInAPackage("io.moneytrail.api..")
                .and().haveSimpleNameNotStartingWith("Idempotency")
                .should().dependOnClassesThat().resideInAnyPackage(SQL)
                .because("the api owns one table, idempotency_keys (IdempotencyClaims and its purge)")
                .check(MAIN);
    }

    @Test
    void the_shared_kernel_is_plain_java() {
        classes().that().resideInAPackage("io.moneytrail.money..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.moneytrail.money..",
                        "com.github.f4b6a3.ulid..", "org.springframework.modulith..")
                .because("every module depends on money: it must not drag Spring, JDBC or the web into them")
                .check(MAIN);
    }

    @Test
    void only_the_command_line_prints_or_parses_commands() {
        noClasses().that().resideOutsideOfPackage("io.moneytrail.cli..")
                .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
                .because("the service logs; only the command line writes to stdout and stderr")
                .check(MAIN);
        noClasses().that().resideOutsideOfPackage("io.moneytrail.cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .check(MAIN);
    }

    @Test
    void beans_get_their_collaborators_through_the_constructor() {
        GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION.check(MAIN);
    }

    @Test
    void no_module_uses_another_modules_repository_but_the_listed_ones() {
        Set<String> uses = new TreeSet<>();
        for (JavaClass origin : MAIN) {
            for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                JavaClass target = dependency.getTargetClass();
                if (target.isAnnotatedWith(Repository.class) && !module(target).equals(module(origin))
                        && target.getPackageName().startsWith("io.moneytrail.")) {
                    uses.add(name(origin) + " -> " + name(target));
                }
            }
        }
        assertShrinking("uses of another module's @Repository", uses, FOREIGN_REPOSITORY_USES,
                "FOREIGN_REPOSITORY_USES");
    }

    @Test
    void classes_that_run_sql_are_not_public_but_the_listed_ones() {
        Predicate<JavaClass> runsSql = type -> type.getDirectDependenciesFromSelf().stream()
                .anyMatch(d -> isSql(d.getTargetClass()));
        Set<String> publicSql = new TreeSet<>();
        for (JavaClass type : MAIN) {
            JavaClass top = topLevel(type);
            if (runsSql.test(type) && top.getModifiers().contains(JavaModifier.PUBLIC)
                    && !module(top).equals("cli") && !module(top).equals("database")) {
                publicSql.add(name(top));
            }
        }
        assertShrinking("public classes that run SQL (cli and database are exempt: the command line and"
                + " the connection set-up)", publicSql, PUBLIC_SQL_CLASSES, "PUBLIC_SQL_CLASSES");
    }

    @Test
    void no_bean_takes_more_collaborators_than_the_listed_ones() {
        Set<String> crowded = new TreeSet<>();
        for (JavaClass type : MAIN) {
            if (type.isMetaAnnotatedWith(Component.class) && type.getConstructors().stream()
                    .anyMatch(constructor -> constructor.getRawParameterTypes().size() > MAX_COLLABORATORS)) {
                crowded.add(name(type));
            }
        }
        assertShrinking("beans whose constructor takes more than " + MAX_COLLABORATORS + " collaborators (split"
                + " the class by job)", crowded, BEANS_WITH_TOO_MANY_COLLABORATORS, "BEANS_WITH_TOO_MANY_COLLABORATORS");
    }

    private static void assertShrinking(String what, Set<String> found, Map<String, String> allowed, String listName) {
        Set<String> added = new TreeSet<>(found);
        added.removeAll(allowed.keySet());
        Set<String> fixed = new TreeSet<>(new TreeMap<>(allowed).keySet());
        fixed.removeAll(found);
        assertThat(added).as("new %s; use the owning module's API instead (or, with a reason, add a line to"
                + " ArchitectureTest.%s)", what, listName).isEmpty();
        assertThat(fixed).as("these %s are fixed: delete their lines from ArchitectureTest.%s so that they"
                + " stay fixed", what, listName).isEmpty();
    }

    private static boolean isSql(JavaClass target) {
        String name = target.getPackageName();
        return name.startsWith("org.springframework.jdbc.core") || name.startsWith("org.springframework.jdbc.datasource")
                || name.startsWith("javax.sql");
    }

    private static JavaClass topLevel(JavaClass type) {
        JavaClass top = type;
        while (top.getEnclosingClass().isPresent()) {
            top = top.getEnclosingClass().get();
        }
        return top;
    }

    /** "order.Orders" for io.moneytrail.order.Orders (and for its nested classes). */
    private static String name(JavaClass type) {
        JavaClass top = topLevel(type);
        return top.getName().substring("io.moneytrail.".length());
    }

    /** The top-level package under io.moneytrail: the module. */
    private static String module(JavaClass type) {
        String rest = type.getPackageName().startsWith("io.moneytrail.")
                ? type.getPackageName().substring("io.moneytrail.".length()) : "";
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
