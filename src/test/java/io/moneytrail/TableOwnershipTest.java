package io.moneytrail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One owner per table. Every table and view the migrations create has exactly one owning module
 * ({@link #OWNERS}, written out by hand from the feature that created it); the SQL in a module's
 * main sources (the string literals and text blocks of its Java files, and any {@code .sql}
 * resource under its package) may name only the tables its own module owns. Other modules go
 * through the owner's API or a read model the owner publishes (see "Who owns which table" in
 * {@code docs/how-it-works.md}).
 *
 * <p>The scan looks for a known table name after {@code from}, {@code join}, {@code into},
 * {@code update}, {@code table}, {@code truncate} and {@code using} (also in comma lists such as
 * {@code from a, b} or {@code truncate a, b}); comments are not SQL and are skipped. A name that
 * is no table of the migrations (a CTE, a bench's own scratch table, a column) is not judged.
 * A name glued on at run time ({@code "from " + table}) is not seen: spell table names out in
 * the SQL text, as the code does today.
 */
class TableOwnershipTest {

    private static final Path MAIN_JAVA = Path.of("src/main/java/io/moneytrail");
    private static final Path MAIN_RESOURCES = Path.of("src/main/resources");
    /** The Flyway locations: the service's schema and the sandbox's. */
    private static final List<Path> MIGRATIONS = List.of(
            MAIN_RESOURCES.resolve("db/migration"), MAIN_RESOURCES.resolve("db/sandbox"));

    /** Table (or view) → owning module. Derived from the migrations: which module's feature created it. */
    static final Map<String, String> OWNERS = new TreeMap<>(Map.ofEntries(
            // V1 core, V9 roles, V10 audit: who may do what and what they did
            Map.entry("api_keys", "access"),
            Map.entry("audit_log", "access"),
            // V21: the back office's users (issue 12)
            Map.entry("users", "access"),
            // V1 core, V10 leases, V12 retention index: the idempotency filter's claims and stored answers
            Map.entry("idempotency_keys", "api"),
            // V1 core, V2_2 creation keys: orders, their lines and their timeline
            Map.entry("orders", "order"),
            Map.entry("order_lines", "order"),
            Map.entry("timeline", "order"),
            // V1 core, V2_1 resolver and compensation: the money facts and the status derived from them
            Map.entry("payments", "payment"),
            Map.entry("refunds", "payment"),
            Map.entry("payment_transactions", "payment"),
            Map.entry("compensations", "payment"),
            Map.entry("order_money", "payment"),
            // V31: the read model of each order's payment status (issue 12, the order list's filter)
            Map.entry("order_payment_status", "payment"),
            // V14: captures and voids as committed intents (intent, then provider call, then answer)
            Map.entry("payment_operations", "payment"),
            // V20: what the T-Bank adapter sent T-Bank (Init amount, one- or two-stage, what Confirm took)
            Map.entry("tbank_payments", "provider"),
            Map.entry("tbank_refunds", "provider"),
            // V2 ledger, V4 and V8 checks
            Map.entry("ledger_accounts", "ledger"),
            Map.entry("journal_entries", "ledger"),
            Map.entry("journal_lines", "ledger"),
            Map.entry("journal_pending_checks", "ledger"),
            Map.entry("ledger_adjustment_proposals", "ledger"),
            // V1 inbox, V3 outbox, V6 inbox lease, V11 secret roll
            Map.entry("webhook_inbox", "webhook"),
            Map.entry("webhook_endpoints", "webhook"),
            Map.entry("outbox_events", "webhook"),
            Map.entry("outbox_deliveries", "webhook"),
            // V5 reconciliation runs
            Map.entry("recon_files", "reconrun"),
            Map.entry("recon_runs", "reconrun"),
            Map.entry("recon_run_discrepancies", "reconrun"),
            Map.entry("recon_exceptions", "reconrun"),
            Map.entry("recon_exception_events", "reconrun"),
            // db/sandbox V1: the fake provider's own schema
            // checkout (issue 13)
            Map.entry("checkout_sessions", "checkout"),
            Map.entry("checkout_events", "checkout"),
            Map.entry("sbx_payments", "sandbox"),
            Map.entry("sbx_captures", "sandbox"),
            Map.entry("sbx_refunds", "sandbox"),
            Map.entry("sbx_events", "sandbox"),
            Map.entry("sbx_idempotency", "sandbox"),
            // db/sandbox V4: the YooKassa dialect's refund details
            Map.entry("sbx_yookassa_refunds", "sandbox"),
            Map.entry("sbx_yookassa_receipts", "sandbox"),
            // db/sandbox V3: the Stripe dialect's disputes
            Map.entry("sbx_stripe_disputes", "sandbox"),
            // fiscal receipts (issue 14)
            Map.entry("receipts", "fiscal"),
            // db/sandbox V6: the ATOL Online dialect (atol, issue 14)
            Map.entry("sbx_atol_tokens", "sandbox"),
            Map.entry("sbx_atol_documents", "sandbox"),
            Map.entry("sbx_atol_faults", "sandbox"),
            // the 1C exchange (issue 14)
            Map.entry("onec_orders", "onec"),
            Map.entry("onec_exchange", "onec")));

    /**
     * Allowed crossings, "module/File.java table" → why. Empty when every module keeps to its own
     * tables; every entry must still be needed (a stale entry fails the test, so the list shrinks).
     */
    /**
     * The fault-injection simulation is an external auditor: it checks the database of a
     * separately running Moneytrail process (no Spring context of its own, one JDBC connection)
     * and re-derives each invariant from the raw tables on purpose, as a test would; a check
     * through the read models it is checking would share their bugs.
     */
    private static final String SIMULATION = "external auditor of a separately running Moneytrail process: re-derives"
            + " every invariant from the raw tables on purpose, as a test would";

    static final Map<String, String> EXCEPTIONS = Map.ofEntries(
            Map.entry("order/Orders.java order_money", "GET /v1/orders/{id} (a client polls it until the order is"
                    + " paid) reads the order and the payment module's published read model of its money in one"
                    + " statement (Orders.findWithMoney); the view stays the payment module's, read-only here"),
            Map.entry("cli/Simulation.java payments", SIMULATION),
            Map.entry("cli/Simulation.java refunds", SIMULATION),
            Map.entry("cli/Simulation.java orders", SIMULATION),
            Map.entry("cli/Simulation.java compensations", SIMULATION),
            Map.entry("cli/Simulation.java payment_transactions", SIMULATION),
            Map.entry("cli/Simulation.java webhook_inbox", SIMULATION),
            Map.entry("cli/Simulation.java outbox_deliveries", SIMULATION),
            Map.entry("cli/Simulation.java order_money", SIMULATION),
            Map.entry("cli/Simulation.java journal_lines", SIMULATION),
            Map.entry("cli/Simulation.java journal_entries", SIMULATION),
            Map.entry("cli/Simulation.java outbox_events", SIMULATION),
            Map.entry("cli/Simulation.java receipts", SIMULATION),
            Map.entry("cli/ReconcileDatabaseBench.java recon_files", "a benchmark on a database of its own, reused"
                    + " between runs: it forgets the files imported before, as its owner role, so that importing the same"
                    + " files again is timed in full (reconrun offers no deletion of files, on purpose)"));

    private static final Pattern KEYWORD = Pattern.compile(
            "\\b(from|join|into|update|table|truncate|using)\\s+(?:only\\s+)?(?:if\\s+(?:not\\s+)?exists\\s+)?");
    private static final Pattern NAME = Pattern.compile("\"?([a-z_][a-z0-9_$]*)\"?(?:\\.\"?([a-z_][a-z0-9_$]*)\"?)?");
    private static final Pattern ALIAS = Pattern.compile("\\s+(?:as\\s+)?[a-z_][a-z0-9_]*");
    private static final Pattern LIST_SEPARATOR = Pattern.compile("\\s*,\\s*");
    private static final Pattern CREATED = Pattern.compile(
            "\\bcreate\\s+(?:or\\s+replace\\s+)?(?:unlogged\\s+|materialized\\s+|temporary\\s+|temp\\s+)?"
                    + "(?:table|view)\\s+(?:if\\s+not\\s+exists\\s+)?(?:[a-z_][a-z0-9_]*\\.)?([a-z_][a-z0-9_]*)");

    // ------------------------------------------------------------------ the rules

    @Test
    void every_table_and_view_of_the_migrations_has_one_owner_and_every_owned_table_exists() {
        Set<String> created = createdByMigrations();
        assertThat(created).as("the migrations create tables").isNotEmpty();
        Set<String> unowned = new TreeSet<>(created);
        unowned.removeAll(OWNERS.keySet());
        assertThat(unowned).as("tables or views created by a migration with no owner: add each to"
                + " TableOwnershipTest.OWNERS with the module whose feature created it").isEmpty();
        Set<String> phantom = new TreeSet<>(OWNERS.keySet());
        phantom.removeAll(created);
        assertThat(phantom).as("owners listed for tables no migration creates").isEmpty();
        Set<String> modules = modules();
        for (Map.Entry<String, String> owner : OWNERS.entrySet()) {
            assertThat(modules).as("owner of " + owner.getKey()).contains(owner.getValue());
        }
    }

    @Test
    void every_module_names_only_its_own_tables_in_its_sql() {
        List<Use> uses = usesInMainSources();
        assertThat(uses).as("the scan finds SQL at all").hasSizeGreaterThan(50);
        List<String> violations = new ArrayList<>();
        Set<String> excused = new TreeSet<>();
        for (Use use : uses) {
            String owner = OWNERS.get(use.table());
            if (owner.equals(use.module())) {
                continue;
            }
            String key = use.module() + "/" + use.file() + " " + use.table();
            if (EXCEPTIONS.containsKey(key)) {
                excused.add(key);
                continue;
            }
            violations.add("module " + use.module() + ", file " + use.module() + "/" + use.file() + ", line "
                    + use.line() + ": table " + use.table() + " is owned by module " + owner
                    + " (use its API or a read model it publishes)");
        }
        assertThat(violations).as("SQL naming another module's table").isEmpty();
        Set<String> stale = new TreeSet<>(EXCEPTIONS.keySet());
        stale.removeAll(excused);
        assertThat(stale).as("exceptions no longer needed: delete them from TableOwnershipTest.EXCEPTIONS").isEmpty();
    }

    @Test
    void every_exception_says_why() {
        EXCEPTIONS.forEach((key, why) -> {
            assertThat(key).as("an exception is 'module/File.java table'").matches("[a-z]+/[\\w/]+\\.(java|sql) [a-z_]+");
            assertThat(OWNERS).as("exception for an unknown table: " + key).containsKey(key.substring(key.indexOf(' ') + 1));
            assertThat(why).as("the reason for " + key).isNotBlank();
        });
    }

    // ------------------------------------------------------------------ the scanner proves itself

    @Test
    void the_scanner_finds_tables_in_strings_and_text_blocks_and_skips_comments() {
        String source = """
                package io.moneytrail.reconrun;
                // select * from refunds  (a comment, not SQL)
                /* delete from compensations */
                class Sample {
                    /** Reads {@code from journal_lines}: javadoc is no SQL either. */
                    String a = "select o.id from orders o join order_money m on m.order_id = o.id";
                    String b = \"""
                            insert into payment_transactions (id) values (?)
                            \""";
                    String c = "update payments set status = 'x' where id in (select payment_id from \\"refunds\\")";
                    String d = "truncate recon_runs, public.journal_entries, webhook_inbox cascade";
                    String e = "select 1 from outbox_events e, outbox_deliveries d where d.event_id = e.id";
                    String f = "delete from outbox_deliveries d using outbox_events e where d.event_id = e.id";
                    String g = "select substring(raw_body from 1 for 10) from webhook_inbox";
                    char q = '"';
                    String h = "with doomed as (select 1) delete from doomed";
                }
                """;
        List<Use> uses = scan("reconrun", "Sample.java", source);
        assertThat(uses).extracting(Use::table).containsExactly("orders", "order_money", "payment_transactions",
                "payments", "refunds", "recon_runs", "journal_entries", "webhook_inbox", "outbox_events",
                "outbox_deliveries", "outbox_deliveries", "outbox_events", "webhook_inbox");
        assertThat(uses.get(0).line()).isEqualTo(6);
        assertThat(uses.get(2).line()).isEqualTo(8);
    }

    @Test
    void a_crossing_is_reported_with_module_file_table_and_owner() {
        List<Use> uses = scan("retention", "Retention.java",
                "class R { String s = \"delete from idempotency_keys where created_at < ?\"; }");
        assertThat(uses).containsExactly(new Use("retention", "Retention.java", 1, "idempotency_keys"));
        assertThat(OWNERS.get(uses.get(0).table())).isEqualTo("api");
    }

    @Test
    void created_tables_are_read_from_migration_text() {
        assertThat(created("""
                create table a (id int); -- create table not_this in a comment
                CREATE UNLOGGED TABLE IF NOT EXISTS s.b (id int);
                create or replace view c as select 1;
                """)).containsExactly("a", "b", "c");
    }

    // ------------------------------------------------------------------ scanning

    /** A known table named in a module's SQL. */
    record Use(String module, String file, int line, String table) {
    }

    private static Set<String> modules() {
        try (Stream<Path> dirs = Files.list(MAIN_JAVA)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Use> usesInMainSources() {
        List<Use> uses = new ArrayList<>();
        for (String module : modules()) {
            Path root = MAIN_JAVA.resolve(module);
            Path resources = MAIN_RESOURCES.resolve("io/moneytrail").resolve(module);
            for (Path dir : List.of(root, resources)) {
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                        String name = file.getFileName().toString();
                        String relative = dir.relativize(file).toString().replace('\\', '/');
                        if (name.endsWith(".java")) {
                            uses.addAll(scan(module, relative, read(file)));
                        } else if (name.endsWith(".sql")) {
                            uses.addAll(scanSql(module, relative, 1, stripSqlComments(read(file))));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return uses;
    }

    /** The known tables named in the string literals and text blocks of one Java source. */
    static List<Use> scan(String module, String file, String source) {
        List<Use> uses = new ArrayList<>();
        for (Literal literal : literals(source)) {
            uses.addAll(scanSql(module, file, literal.line(), literal.text()));
        }
        return uses;
    }

    private static List<Use> scanSql(String module, String file, int firstLine, String sql) {
        List<Use> uses = new ArrayList<>();
        String text = sql.toLowerCase(Locale.ROOT);
        Matcher keyword = KEYWORD.matcher(text);
        while (keyword.find()) {
            int at = keyword.end();
            while (true) {
                Matcher name = NAME.matcher(text).region(at, text.length());
                if (!name.lookingAt()) {
                    break;
                }
                String table = name.group(2) != null ? name.group(2) : name.group(1);
                if (OWNERS.containsKey(table)) {
                    int line = firstLine + (int) text.substring(0, name.start()).chars().filter(c -> c == '\n').count();
                    uses.add(new Use(module, file, line, table));
                }
                at = name.end();
                Matcher alias = ALIAS.matcher(text).region(at, text.length());
                if (alias.lookingAt() && !isKeyword(alias.group().strip())) {
                    at = alias.end();
                }
                Matcher comma = LIST_SEPARATOR.matcher(text).region(at, text.length());
                if (!comma.lookingAt()) {
                    break;
                }
                at = comma.end();
            }
        }
        return uses;
    }

    private static final Set<String> KEYWORDS = Set.of("where", "join", "left", "right", "inner", "outer", "full",
            "cross", "on", "using", "set", "values", "select", "group", "order", "limit", "for", "returning",
            "union", "natural", "lateral", "cascade", "restrict", "as", "default", "having", "window", "offset");

    private static boolean isKeyword(String word) {
        return KEYWORDS.contains(word.startsWith("as ") ? word.substring(3).strip() : word);
    }

    /** A string literal or text block, with the line it starts on. */
    record Literal(int line, String text) {
    }

    /** The string literals and text blocks of a Java source, comments and char literals skipped. */
    static List<Literal> literals(String source) {
        List<Literal> literals = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (source.startsWith("//", i)) {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                line += count(source, i, end);
                i = end;
            } else if (source.startsWith("\"\"\"", i)) {
                int start = i + 3;
                int j = start;
                while (j < n && !source.startsWith("\"\"\"", j)) {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                literals.add(new Literal(line, unescape(source.substring(start, Math.min(j, n)))));
                line += count(source, i, Math.min(j, n));
                i = Math.min(n, j + 3);
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                if (c == '"') {
                    literals.add(new Literal(line, unescape(source.substring(i + 1, Math.min(j, n)))));
                }
                i = Math.min(n, j + 1);
            } else {
                i++;
            }
        }
        return literals;
    }

    private static int count(String source, int from, int to) {
        int lines = 0;
        for (int k = from; k < to; k++) {
            if (source.charAt(k) == '\n') {
                lines++;
            }
        }
        return lines;
    }

    private static String unescape(String text) {
        return text.replace("\\\"", "\"").replace("\\n", "\n").replace("\\t", " ").replace("\\\\", "\\");
    }

    private static String stripSqlComments(String sql) {
        return sql.replaceAll("/\\*(?s:.*?)\\*/", " ").replaceAll("--[^\n]*", "");
    }

    private static Set<String> createdByMigrations() {
        Set<String> created = new LinkedHashSet<>();
        for (Path dir : MIGRATIONS) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                    created.addAll(created(read(file)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return created;
    }

    static Set<String> created(String migration) {
        Set<String> created = new LinkedHashSet<>();
        Matcher m = CREATED.matcher(stripSqlComments(migration).toLowerCase(Locale.ROOT));
        while (m.find()) {
            created.add(m.group(1));
        }
        return created;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
