package io.moneytrail.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.ApiTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The timeline writes a transaction's entries together at commit ({@link Timeline}): none of a
 * rolled-back transaction, all of a committed one in the order recorded, and a read inside the
 * transaction sees its own.
 */
class TimelineBatchingTest extends ApiTest {

    @Autowired
    Timeline timeline;

    @Autowired
    OrderService orders;

    @Autowired
    PlatformTransactionManager transactions;

    TransactionTemplate tx;
    String order;
    String created;

    @BeforeEach
    void order() {
        tx = new TransactionTemplate(transactions);
        order = orders.create(new NewOrder("EUR", "TL-1", null, null,
                List.of(new NewOrder.Line("SKU", "Thing", 1L, 100L, null)), Map.of())).id();
        created = timeline.of(order).get(0).summary();
    }

    private List<String> summaries() {
        return timeline.of(order).stream().map(TimelineEntry::summary).toList();
    }

    private long rows() {
        return jdbc.sql("select count(*) from timeline where order_id = :order").param("order", order)
                .query(Long.class).single();
    }

    @Test
    void entries_of_a_rolled_back_transaction_are_not_written() {
        tx.executeWithoutResult(status -> {
            timeline.record(order, TimelineKind.PROVIDER_CALL, "first", Map.of());
            timeline.record(order, TimelineKind.PROVIDER_CALL, "second", Map.of());
            status.setRollbackOnly();
        });
        assertThat(summaries()).containsExactly(created);
    }

    @Test
    void entries_are_written_at_commit_in_the_order_recorded() {
        tx.executeWithoutResult(status -> {
            timeline.record(order, TimelineKind.PROVIDER_CALL, "first", Map.of("n", 1));
            timeline.record(order, TimelineKind.RESOLVER_CHECK, "second", Map.of("n", 2));
            timeline.record(order, TimelineKind.WEBHOOK_RECEIVED, "third", Map.of("n", 3));
            assertThat(rows()).as("held back until commit").isEqualTo(1);
        });
        List<TimelineEntry> entries = timeline.of(order);
        assertThat(entries).extracting(TimelineEntry::summary)
                .containsExactly(created, "first", "second", "third");
        assertThat(entries).extracting(TimelineEntry::kind).containsExactly(TimelineKind.ORDER_CREATED,
                TimelineKind.PROVIDER_CALL, TimelineKind.RESOLVER_CHECK, TimelineKind.WEBHOOK_RECEIVED);
        assertThat(entries.get(3).data()).containsEntry("n", 3);
        assertThat(entries).extracting(TimelineEntry::sequence).isSorted();
        assertThat(entries.get(1).occurredAt()).isBeforeOrEqualTo(entries.get(2).occurredAt());
    }

    @Test
    void a_read_inside_the_transaction_sees_its_own_entries() {
        tx.executeWithoutResult(status -> {
            timeline.record(order, TimelineKind.PROVIDER_CALL, "first", Map.of());
            assertThat(summaries()).containsExactly(created, "first");
            timeline.record(order, TimelineKind.PROVIDER_CALL, "second", Map.of());
            assertThat(summaries()).containsExactly(created, "first", "second");
            timeline.record(order, TimelineKind.PROVIDER_CALL, "third", Map.of());
        });
        assertThat(summaries()).containsExactly(created, "first", "second", "third");
    }

    @Test
    void outside_a_transaction_an_entry_is_written_at_once() {
        timeline.record(order, TimelineKind.PROVIDER_CALL, "alone", Map.of());
        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void an_entry_recorded_by_a_before_commit_step_after_the_write_is_still_written() {
        tx.executeWithoutResult(status -> {
            timeline.record(order, TimelineKind.PROVIDER_CALL, "in the transaction", Map.of());
            // registered after the timeline's own step, so it runs after the timeline was written
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    timeline.record(order, TimelineKind.RESOLVER_CHECK, "before commit", Map.of());
                }
            });
        });
        assertThat(summaries()).containsExactly(created, "in the transaction", "before commit");
    }

    @Test
    void an_inner_transaction_of_its_own_keeps_its_entries_apart() {
        TransactionTemplate inner = new TransactionTemplate(transactions);
        inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        tx.executeWithoutResult(status -> {
            timeline.record(order, TimelineKind.PROVIDER_CALL, "outer", Map.of());
            inner.executeWithoutResult(s -> timeline.record(order, TimelineKind.RESOLVER_CHECK, "inner", Map.of()));
            status.setRollbackOnly();
        });
        assertThat(summaries()).containsExactly(created, "inner");
    }

    @Test
    void an_entry_first_recorded_by_a_before_commit_step_is_written_too() {
        tx.executeWithoutResult(status ->
                // the timeline's own step is registered during the commit: Spring no longer calls it
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void beforeCommit(boolean readOnly) {
                        timeline.record(order, TimelineKind.RESOLVER_CHECK, "only before commit", Map.of());
                        timeline.record(order, TimelineKind.RESOLVER_CHECK, "and another", Map.of());
                    }
                }));
        assertThat(summaries()).containsExactly(created, "only before commit", "and another");
    }
}
