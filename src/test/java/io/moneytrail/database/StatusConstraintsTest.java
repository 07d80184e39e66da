package io.moneytrail.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.ledger.AccountType;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.payment.CaptureMethod;
import io.moneytrail.payment.MoneyTransaction;
import io.moneytrail.payment.PaymentState;
import io.moneytrail.payment.RefundState;
import io.moneytrail.reconciliation.BankFormat;
import io.moneytrail.reconciliation.DiscrepancyClass;
import io.moneytrail.reconciliation.Leg;
import io.moneytrail.reconciliation.ProviderFormat;
import io.moneytrail.reconciliation.Severity;
import io.moneytrail.reconrun.ExceptionStatus;
import io.moneytrail.testing.ApiTest;
import io.moneytrail.webhook.OutboundEventType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The CHECK constraints on status-like columns list exactly the values of their Java enums, read
 * back from pg_constraint: adding a value to an enum without a migration (or the reverse) fails
 * here, not in production on the first row with the new value.
 */
class StatusConstraintsTest extends ApiTest {

    /**
     * Text columns that hold a status or another closed set of words. Each must have a CHECK
     * constraint; the ones below without an enum have a fixed set written as SQL literals by one
     * class each (WebhookInbox, Outbox/OutboundDelivery, Compensations, IdempotencyFilter,
     * ReconRuns, ReconFiles, ReconExceptions).
     */
    private static final Pattern STATUS_LIKE = Pattern.compile(
            "status|from_status|to_status|kind|type|trigger|class|severity|leg|action|format|capture_method");

    /**
     * Status-like by name, but open sets that grow with the code: the timeline's kinds and the
     * audit log's actions are event names ({@code refund.created}, {@code payment.capture}).
     */
    private static final Set<String> OPEN_SETS = Set.of("timeline.kind", "audit_log.action");

    @Test
    void every_enum_backed_column_accepts_exactly_the_enums_values() {
        assertMatches("orders", "status", wires(OrderStatus.values(), OrderStatus::wire));
        assertMatches("payments", "status", wires(PaymentState.values(), PaymentState::wire));
        assertMatches("payments", "capture_method", wires(CaptureMethod.values(), CaptureMethod::wire));
        assertMatches("refunds", "status", wires(RefundState.values(), RefundState::wire));
        assertMatches("payment_transactions", "kind", wires(MoneyTransaction.Kind.values(), MoneyTransaction.Kind::wire));
        assertMatches("ledger_accounts", "type", wires(AccountType.values(), AccountType::wire));
        assertMatches("outbox_events", "type", wires(OutboundEventType.values(), OutboundEventType::wire));
        assertMatches("recon_exceptions", "status", wires(ExceptionStatus.values(), ExceptionStatus::wire));
        assertMatches("recon_exceptions", "class", wires(DiscrepancyClass.values(), DiscrepancyClass::wireName));
        assertMatches("recon_exceptions", "severity", wires(Severity.values(), Severity::wireName));
        assertMatches("recon_run_discrepancies", "class", wires(DiscrepancyClass.values(), DiscrepancyClass::wireName));
        assertMatches("recon_run_discrepancies", "severity", wires(Severity.values(), Severity::wireName));
        assertMatches("recon_run_discrepancies", "leg", wires(Leg.values(), Leg::wireName));
        assertMatches("recon_exception_events", "from_status", wires(ExceptionStatus.values(), ExceptionStatus::wire));
        assertMatches("recon_exception_events", "to_status", wires(ExceptionStatus.values(), ExceptionStatus::wire));
        // a file's format is one of its kind's: the constraint names both kinds and both sets of formats
        Set<String> formats = new TreeSet<>(Set.of("provider", "bank"));
        formats.addAll(wires(ProviderFormat.values(), ProviderFormat::wireName));
        formats.addAll(wires(BankFormat.values(), f -> f == BankFormat.CLIENT_BANK_EXCHANGE ? "1c" : f.wireName()));
        assertThat(checkValues("recon_files", "recon_files_format_check")).isEqualTo(formats);
    }

    @Test
    void every_status_like_text_column_has_a_check_constraint() {
        List<String> unchecked = new ArrayList<>();
        List<String[]> columns = jdbc.sql("""
                        select c.table_name, c.column_name from information_schema.columns c
                        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
                        where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
                          and c.data_type = 'text' and c.table_name not like 'flyway%'
                        order by 1, 2""")
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list();
        for (String[] column : columns) {
            String name = column[0] + "." + column[1];
            if (!STATUS_LIKE.matcher(column[1]).matches() || OPEN_SETS.contains(name)) {
                continue;
            }
            long checks = jdbc.sql("""
                            select count(*) from pg_constraint k
                            join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any(k.conkey)
                            where k.conrelid = cast(:table as regclass) and k.contype = 'c' and a.attname = :column""")
                    .param("table", column[0]).param("column", column[1]).query(Long.class).single();
            if (checks == 0) {
                unchecked.add(name);
            }
        }
        assertThat(unchecked).as("status-like text columns without a CHECK constraint of known values").isEmpty();
    }

    private void assertMatches(String table, String column, Set<String> enumValues) {
        List<String> names = jdbc.sql("""
                        select k.conname from pg_constraint k
                        where k.conrelid = cast(:table as regclass) and k.contype = 'c'
                          and k.conkey = array[(select a.attnum from pg_attribute a
                                                where a.attrelid = k.conrelid and a.attname = :column)]""")
                .param("table", table).param("column", column).query(String.class).list();
        assertThat(names).as("one CHECK constraint on %s.%s", table, column).hasSize(1);
        assertThat(checkValues(table, names.get(0))).as("%s.%s (%s)", table, column, names.get(0))
                .isEqualTo(enumValues);
    }

    /** The string literals of a CHECK constraint's definition, as PostgreSQL prints it back. */
    private Set<String> checkValues(String table, String constraint) {
        String definition = jdbc.sql("""
                        select pg_get_constraintdef(k.oid) from pg_constraint k
                        where k.conrelid = cast(:table as regclass) and k.conname = :name""")
                .param("table", table).param("name", constraint).query(String.class).single();
        Set<String> values = new TreeSet<>();
        Matcher literal = Pattern.compile("'((?:[^']|'')*)'::").matcher(definition);
        while (literal.find()) {
            values.add(literal.group(1).replace("''", "'"));
        }
        return values;
    }

    private static <E> Set<String> wires(E[] values, Function<E, String> wire) {
        return Arrays.stream(values).map(wire).collect(Collectors.toCollection(TreeSet::new));
    }
}
