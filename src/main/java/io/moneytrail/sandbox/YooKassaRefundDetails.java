package io.moneytrail.sandbox;

import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What the YooKassa dialect keeps about a refund beyond the common row: the description and
 * metadata the merchant sent, which YooKassa echoes back in every refund object.
 */
@Component
@ConditionalOnSandbox
class YooKassaRefundDetails {

    /** @param metadata the metadata object as JSON text, or null */
    record Details(String description, String metadata) {
    }

    private final SandboxStore store;

    YooKassaRefundDetails(SandboxStore store) {
        this.store = store;
    }

    /** In the refund's own transaction. */
    void insert(String refundId, Details details) {
        store.jdbc().sql("""
                        insert into sbx_yookassa_refunds (refund_id, description, metadata)
                        values (:id, :description, :metadata)""")
                .param("id", refundId).param("description", details.description())
                .param("metadata", details.metadata())
                .update();
    }

    Optional<Details> find(String refundId) {
        return store.jdbc().sql("select description, metadata from sbx_yookassa_refunds where refund_id = :id")
                .param("id", refundId)
                .query((rs, n) -> new Details(rs.getString("description"), rs.getString("metadata")))
                .optional();
    }
}
