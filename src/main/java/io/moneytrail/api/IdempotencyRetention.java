package io.moneytrail.api;

import io.moneytrail.retention.IdempotencyKeyPurge;
import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The deleting half of retention for the table this module owns, {@code idempotency_keys}: the
 * {@code retention} module keeps the schedule and the periods and calls this. One call is one
 * statement, so one short transaction; it picks its rows {@code FOR UPDATE SKIP LOCKED}, so
 * several instances share the work and never wait on a request holding a claim.
 */
@Component
class IdempotencyRetention implements IdempotencyKeyPurge {

    private final JdbcClient jdbc;

    IdempotencyRetention(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Deletes at most {@code batch} keys (with their stored answers) created before the cutoff; how many. */
    @Override
    public int purgeCreatedBefore(Instant cutoff, int batch) {
        return jdbc.sql("""
                        delete from idempotency_keys
                        where (api_key_id, key) in (select api_key_id, key from idempotency_keys
                                                    where created_at < :cutoff
                                                    order by created_at limit :batch
                                                    for update skip locked)
                        """)
                .param("cutoff", Timestamp.from(cutoff)).param("batch", batch).update();
    }
}
