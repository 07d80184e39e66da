package io.moneytrail.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.testing.ApiTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class BulkJournalTest extends ApiTest {

    private static final Instant AT = Instant.parse("2025-03-01T10:15:30.123456Z");

    @Autowired
    BulkJournal bulk;

    @Autowired
    Journal journal;

    @Autowired
    Balances balances;

    @Test
    void a_batch_is_posted_in_full_and_reads_back_balanced() {
        String order = Ids.next(Ids.ORDER);
        List<NewEntry> batch = new ArrayList<>();
        batch.add(PostingRules.capture(Ids.next(Ids.TRANSACTION), order, "sandbox", Money.of(12_000, "EUR"), AT));
        batch.add(PostingRules.providerFee(Ids.next("fee_"), order, "sandbox", Money.of(250, "EUR"), AT.plusSeconds(1)));
        batch.add(PostingRules.fulfilment(order, Money.of(12_000, "EUR"), 2_164, AT.plusSeconds(2)));
        batch.add(PostingRules.refundAfterFulfilment(Ids.next(Ids.TRANSACTION), order, "sandbox",
                Money.of(1_220, "EUR"), 0, PostingRules.EarlierReturns.NONE, Money.of(12_000, "EUR"), 2_164, AT.plusSeconds(3)));
        batch.add(PostingRules.payout(Ids.next("po_"), "sandbox", "assets:bank:main", Money.of(700_000, "JPY"),
                AT.plusSeconds(4)));
        for (int i = 0; i < 45; i++) {
            batch.add(PostingRules.capture(Ids.next(Ids.TRANSACTION), Ids.next(Ids.ORDER), "sandbox",
                    Money.of(100 + i, i % 2 == 0 ? "RUB" : "JPY"), AT.plusMillis(5_000 + i)));
        }

        BulkJournal.BatchResult result = bulk.post(batch);

        assertThat(result.posted()).isEqualTo(50);
        assertThat(result.existing()).isZero();
        assertThat(result.duplicates()).isZero();
        assertThat(result.existingIds()).isEmpty();
        assertThat(result.entryIds()).hasSize(50).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(Ids.hasPrefix(id, "je_")).isTrue());
        for (int i = 0; i < batch.size(); i++) {
            NewEntry given = batch.get(i);
            JournalEntry read = journal.find(result.entryIds().get(i)).orElseThrow(); // re-checked balanced on load
            assertThat(read.sourceType()).isEqualTo(given.sourceType());
            assertThat(read.sourceId()).isEqualTo(given.sourceId());
            assertThat(read.orderId()).isEqualTo(given.orderId());
            assertThat(read.effectiveAt()).isEqualTo(given.effectiveAt());
            assertThat(read.description()).isEqualTo(given.description());
            assertThat(read.lines()).extracting(JournalEntry.Line::account, JournalEntry.Line::amountMinor,
                            JournalEntry.Line::currency)
                    .containsExactlyElementsOf(given.lines().stream().map(l -> org.assertj.core.groups.Tuple.tuple(
                            l.account(), l.amount().amountMinor(), l.amount().currencyCode())).toList());
        }
        // The order's trail: advances used up by fulfilment, revenue net of the returned part.
        assertThat(balances.orderAccountBalance(order, PostingRules.ADVANCES, "EUR")).isZero();
        assertThat(balances.orderAccountBalance(order, PostingRules.SALES, "EUR")).isEqualTo(-(12_000 - 2_164));
        assertThat(balances.orderAccountBalance(order, "assets:psp:sandbox", "EUR"))
                .isEqualTo(12_000 - 250 - 1_220);
        // Lines carry their entry's effective time (the as-of balances read only lines).
        assertThat(jdbc.sql("""
                        select count(*) from journal_lines l join journal_entries e on e.id = l.entry_id
                        where e.id = any(:ids) and l.effective_at <> e.effective_at
                        """).param("ids", result.entryIds().toArray(new String[0])).query(Long.class).single())
                .isZero();
        assertThat(balances.trialBalance(Instant.now()).balanced()).isTrue();
    }

    @Test
    void an_entry_posted_in_bulk_is_the_same_entry_for_journal_post_and_the_other_way_round() {
        NewEntry first = capture(1_000);
        NewEntry second = capture(2_000);
        String bulkId = bulk.post(List.of(first)).entryIds().get(0);
        String postedId = journal.post(second).id();

        assertThat(journal.post(first).id()).isEqualTo(bulkId);
        BulkJournal.BatchResult again = bulk.post(List.of(first, second));
        assertThat(again.posted()).isZero();
        assertThat(again.existingIds()).containsExactly(bulkId, postedId);
    }

    @Test
    void posting_the_same_batch_again_is_a_no_op_reported_as_existing() {
        List<NewEntry> batch = List.of(capture(100), capture(200), capture(300));
        BulkJournal.BatchResult first = bulk.post(batch);
        long lines = countLines();

        BulkJournal.BatchResult second = bulk.post(batch);

        assertThat(second.posted()).isZero();
        assertThat(second.existing()).isEqualTo(3);
        assertThat(second.entryIds()).isEqualTo(first.entryIds());
        assertThat(second.existingIds()).containsExactlyElementsOf(first.entryIds());
        assertThat(countLines()).isEqualTo(lines);

        NewEntry fresh = capture(400);
        BulkJournal.BatchResult mixed = bulk.post(List.of(batch.get(1), fresh, batch.get(0)));
        assertThat(mixed.posted()).isEqualTo(1);
        assertThat(mixed.existing()).isEqualTo(2);
        assertThat(mixed.entryIds()).containsExactly(first.entryIds().get(1), mixed.entryIds().get(1),
                first.entryIds().get(0));
        assertThat(journal.bySource(fresh.sourceType(), fresh.sourceId())).isPresent();
    }

    @Test
    void a_batch_with_one_conflicting_entry_writes_nothing_and_answers_409() {
        NewEntry posted = capture(500);
        journal.post(posted);
        NewEntry sameSourceOtherAmount = PostingRules.capture(posted.sourceId(), posted.orderId(), "sandbox",
                Money.of(501, "EUR"), posted.effectiveAt());
        List<NewEntry> batch = List.of(capture(1), capture(2), sameSourceOtherAmount, capture(3));
        long entries = countEntries();

        assertThatThrownBy(() -> bulk.post(batch)).asInstanceOf(InstanceOfAssertFactories.type(MoneytrailException.class))
                .satisfies(e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("source_already_posted");
                    assertThat(e.param()).isEqualTo("entries[2]");
                });

        assertThat(countEntries()).isEqualTo(entries);
        for (NewEntry entry : List.of(batch.get(0), batch.get(1), batch.get(3))) {
            assertThat(journal.bySource(entry.sourceType(), entry.sourceId())).isEmpty();
        }
        assertThat(journal.bySource(posted.sourceType(), posted.sourceId()).orElseThrow().lines().get(0).amountMinor())
                .isEqualTo(500);
    }

    @Test
    void an_unknown_account_is_400_naming_the_entry_and_line_and_writes_nothing() {
        NewEntry fine = capture(700);
        NewEntry unknown = PostingRules.payout(Ids.next("po_"), "sandbox", "assets:bank:nowhere",
                Money.of(700, "EUR"), AT);
        long entries = countEntries();

        assertThatThrownBy(() -> bulk.post(List.of(fine, unknown)))
                .asInstanceOf(InstanceOfAssertFactories.type(MoneytrailException.class))
                .satisfies(e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("account_unknown");
                    assertThat(e.param()).isEqualTo("entries[1].lines[0][account]");
                });

        assertThat(countEntries()).isEqualTo(entries);
        assertThat(journal.bySource(fine.sourceType(), fine.sourceId())).isEmpty();
    }

    @Test
    void a_batch_over_the_bound_is_400_and_a_batch_at_the_bound_is_posted() {
        List<NewEntry> atBound = new ArrayList<>();
        for (int i = 0; i < BulkJournal.ENTRIES_MAX; i++) {
            atBound.add(capture(1 + i));
        }
        List<NewEntry> overBound = new ArrayList<>(atBound);
        overBound.add(capture(1));

        assertThatThrownBy(() -> bulk.post(overBound))
                .asInstanceOf(InstanceOfAssertFactories.type(MoneytrailException.class))
                .satisfies(e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("batch_too_large");
                    assertThat(e.param()).isEqualTo("entries");
                });
        assertThat(journal.bySource(atBound.get(0).sourceType(), atBound.get(0).sourceId())).isEmpty();

        assertThat(bulk.post(atBound).posted()).isEqualTo(BulkJournal.ENTRIES_MAX);
    }

    @Test
    void an_empty_batch_posts_nothing() {
        assertThat(bulk.post(List.of())).isEqualTo(new BulkJournal.BatchResult(0, 0, 0, List.of(), List.of()));
    }

    @Test
    void the_same_source_twice_in_a_batch_is_posted_once() {
        NewEntry entry = capture(800);
        NewEntry other = capture(900);

        BulkJournal.BatchResult result = bulk.post(List.of(entry, other, entry));

        assertThat(result.posted()).isEqualTo(2);
        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(result.existing()).isZero();
        assertThat(result.entryIds().get(2)).isEqualTo(result.entryIds().get(0));
        assertThat(jdbc.sql("select count(*) from journal_entries where source_id = :s")
                .param("s", entry.sourceId()).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void the_same_source_twice_in_a_batch_with_different_content_writes_nothing_and_answers_409() {
        NewEntry entry = capture(800);
        NewEntry conflicting = PostingRules.capture(entry.sourceId(), entry.orderId(), "sandbox",
                Money.of(800, "EUR"), entry.effectiveAt().plusSeconds(1));
        NewEntry other = capture(900);

        assertThatThrownBy(() -> bulk.post(List.of(entry, other, conflicting)))
                .asInstanceOf(InstanceOfAssertFactories.type(MoneytrailException.class))
                .satisfies(e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("source_already_posted");
                    assertThat(e.param()).isEqualTo("entries[2]");
                });
        assertThat(journal.bySource(entry.sourceType(), entry.sourceId())).isEmpty();
        assertThat(journal.bySource(other.sourceType(), other.sourceId())).isEmpty();
    }

    @Test
    void an_entry_is_reversed_once_whichever_path_reverses_it() {
        String chargeback = Ids.next("cb_");
        String chargebackEntry = journal.post(PostingRules.chargeback(chargeback, Ids.next(Ids.ORDER), "sandbox",
                Money.of(300, "EUR"), AT)).id();
        String feeEntry = journal.post(PostingRules.providerFee(Ids.next("fee_"), null, "sandbox",
                Money.of(30, "EUR"), AT)).id();
        NewEntry reversal = PostingRules.chargebackReversal(chargeback, chargebackEntry, null, "sandbox",
                Money.of(300, "EUR"), AT.plusSeconds(60));

        BulkJournal.BatchResult first = bulk.post(List.of(reversal));
        assertThat(first.posted()).isEqualTo(1);
        assertThat(journal.find(first.entryIds().get(0)).orElseThrow().reverses()).isEqualTo(chargebackEntry);
        assertThat(bulk.post(List.of(reversal)).existingIds()).isEqualTo(first.entryIds());

        NewEntry secondReversal = PostingRules.chargebackReversal(Ids.next("cb_"), chargebackEntry, null, "sandbox",
                Money.of(300, "EUR"), AT.plusSeconds(120));
        assertThatThrownBy(() -> bulk.post(List.of(capture(1), secondReversal)))
                .asInstanceOf(InstanceOfAssertFactories.type(MoneytrailException.class))
                .satisfies(e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("entry_already_reversed");
                    assertThat(e.param()).isEqualTo("entries[1][reverses]");
                });
        assertThatThrownBy(() -> journal.reverse(chargebackEntry, "ops", "again"))
                .isInstanceOf(RuntimeException.class);

        NewEntry twiceInBatch = PostingRules.chargebackReversal(Ids.next("cb_"), feeEntry, null, "sandbox",
                Money.of(30, "EUR"), AT.plusSeconds(180));
        NewEntry twiceInBatchAgain = PostingRules.chargebackReversal(Ids.next("cb_"), feeEntry, null, "sandbox",
                Money.of(30, "EUR"), AT.plusSeconds(180));
        assertThatThrownBy(() -> bulk.post(List.of(twiceInBatch, twiceInBatchAgain)))
                .asInstanceOf(InstanceOfAssertFactories.type(MoneytrailException.class))
                .extracting(MoneytrailException::code, MoneytrailException::param)
                .containsExactly("entry_already_reversed", "entries[1][reverses]");

        NewEntry ofNothing = PostingRules.chargebackReversal(Ids.next("cb_"), "je_" + "0".repeat(26), null, "sandbox",
                Money.of(30, "EUR"), AT);
        assertThatThrownBy(() -> bulk.post(List.of(ofNothing)))
                .asInstanceOf(InstanceOfAssertFactories.type(MoneytrailException.class))
                .extracting(MoneytrailException::httpStatus, MoneytrailException::code, MoneytrailException::param)
                .containsExactly(400, "entry_unknown", "entries[0][reverses]");
    }

    @Test
    void concurrent_batches_of_the_same_sources_in_opposite_orders_post_each_source_once_without_deadlock() throws Exception {
        List<NewEntry> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(capture(10 + i));
        }
        List<NewEntry> reversed = new ArrayList<>(batch);
        java.util.Collections.reverse(reversed);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        BulkJournal.BatchResult a;
        BulkJournal.BatchResult b;
        try {
            Future<BulkJournal.BatchResult> one = threads.submit(() -> {
                start.await();
                return bulk.post(batch);
            });
            Future<BulkJournal.BatchResult> two = threads.submit(() -> {
                start.await();
                return bulk.post(reversed);
            });
            a = one.get(30, TimeUnit.SECONDS);
            b = two.get(30, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        assertThat(a.posted() + b.posted()).isEqualTo(500);
        assertThat(a.existing() + b.existing()).isEqualTo(500);
        List<String> bInOrder = new ArrayList<>(b.entryIds());
        java.util.Collections.reverse(bInOrder);
        assertThat(a.entryIds()).isEqualTo(bInOrder);
        assertThat(jdbc.sql("select count(*) from journal_lines where entry_id = any(:ids)")
                .param("ids", a.entryIds().toArray(new String[0])).query(Long.class).single()).isEqualTo(1_000);
    }

    private static NewEntry capture(long amountMinor) {
        return PostingRules.capture(Ids.next(Ids.TRANSACTION), Ids.next(Ids.ORDER), "sandbox",
                Money.of(amountMinor, "EUR"), AT.plus(amountMinor, ChronoUnit.MILLIS));
    }

    private long countEntries() {
        return jdbc.sql("select count(*) from journal_entries").query(Long.class).single();
    }

    private long countLines() {
        return jdbc.sql("select count(*) from journal_lines").query(Long.class).single();
    }
}
