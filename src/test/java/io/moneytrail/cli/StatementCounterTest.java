package io.moneytrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@code bench checkout} calls a write (a read-write transaction) and how it names calls. */
class StatementCounterTest {

    @Test
    void plain_reads_are_not_writes_but_locking_reads_and_data_changes_are() {
        assertThat(StatementCounter.writes("select id from orders where id = ?")).isFalse();
        assertThat(StatementCounter.writes("  (select 1)")).isFalse();
        assertThat(StatementCounter.writes("show synchronous_commit")).isFalse();
        assertThat(StatementCounter.writes("with x as (select 1) select * from x")).isFalse();
        assertThat(StatementCounter.writes("select status from orders where id = ? for update")).isTrue();
        assertThat(StatementCounter.writes("select id from payments where id = ? FOR NO KEY UPDATE")).isTrue();
        assertThat(StatementCounter.writes("insert into timeline (order_id) values (?)")).isTrue();
        assertThat(StatementCounter.writes("/* c */ update payments set status = ?")).isTrue();
        assertThat(StatementCounter.writes("with e as (insert into outbox_events values (?) returning id) select id from e"))
                .isTrue();
        assertThat(StatementCounter.writes("delete from idempotency_keys where key = ?")).isTrue();
    }

    @Test
    void statement_texts_are_normalized_for_the_histogram() {
        assertThat(StatementCounter.normalize("select  *\n from t where a = 'x''y' and b = 42 and c = ?"))
                .isEqualTo("select * from t where a = '?' and b = N and c = ?");
        assertThat(StatementCounter.normalize("select nextval('outbox_seq'), t2.col1 from t2"))
                .isEqualTo("select nextval('?'), t2.col1 from t2");
    }

    @Test
    void requests_are_named_as_the_bench_names_its_calls() {
        assertThat(StatementCounting.callOf("POST", "/v1/orders")).isEqualTo("create_order");
        assertThat(StatementCounting.callOf("POST", "/v1/orders/ord_01JABCDEF123/payments")).isEqualTo("create_payment");
        assertThat(StatementCounting.callOf("GET", "/v1/orders/ord_01JABCDEF123")).isEqualTo("get_order");
        assertThat(StatementCounting.callOf("POST", "/v1/refunds")).isEqualTo("refund");
        assertThat(StatementCounting.callOf("POST", "/v1/webhooks/sandbox")).isEqualTo("webhook");
        assertThat(StatementCounting.callOf("GET", "/v1/orders/ord_01JABCDEF123/timeline"))
                .isEqualTo("GET /v1/orders/{id}/timeline");
    }
}
