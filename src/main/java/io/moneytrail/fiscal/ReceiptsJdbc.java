package io.moneytrail.fiscal;

import io.moneytrail.money.MoneytrailException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** {@link Receipts} over the fiscal module's own {@code receipts} table. */
@Component
class ReceiptsJdbc implements Receipts {

    static final String SELECT = """
            select id, order_id, payment_id, refund_id, type, payment_method, purpose, status, total, currency,
                   items::text as items, vats::text as vats, data::text as data, provider, external_id, external_uuid,
                   fiscal::text as fiscal, error::text as error, corrects_id, attempts, created_at, updated_at
            from receipts
            """;

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    ReceiptsJdbc(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public List<Receipt> ofOrder(String orderId) {
        return jdbc.sql(SELECT + " where order_id = :order order by id").param("order", orderId).query(this::map).list();
    }

    @Override
    public List<Receipt> ofOrders(Collection<String> orderIds) {
        if (orderIds.isEmpty()) {
            return List.of();
        }
        if (orderIds.size() > PAGE_SIZE_MAX) {
            throw new IllegalArgumentException("at most " + PAGE_SIZE_MAX + " orders at once");
        }
        return jdbc.sql(SELECT + " where order_id in (:orders) order by id").param("orders", orderIds)
                .query(this::map).list();
    }

    @Override
    public Optional<Receipt> find(String id) {
        return jdbc.sql(SELECT + " where id = :id").param("id", id).query(this::map).optional();
    }

    @Override
    public Receipt get(String id) {
        return find(id).orElseThrow(() -> MoneytrailException.notFound("receipt", id));
    }

    @Override
    public List<Receipt> list(ReceiptStatus status, Instant from, Instant to, String startingAfter, int limit) {
        if (limit < 1 || limit > PAGE_SIZE_MAX) {
            throw new IllegalArgumentException("limit in 1.." + PAGE_SIZE_MAX);
        }
        StringBuilder sql = new StringBuilder(SELECT).append(" where true");
        Map<String, Object> params = new LinkedHashMap<>();
        if (status != null) {
            sql.append(" and status = :status");
            params.put("status", status.wire());
        }
        if (from != null) {
            sql.append(" and created_at >= :from");
            params.put("from", Timestamp.from(from));
        }
        if (to != null) {
            sql.append(" and created_at < :to");
            params.put("to", Timestamp.from(to));
        }
        if (startingAfter != null) {
            sql.append(" and id > :after");
            params.put("after", startingAfter);
        }
        sql.append(" order by id limit :limit");
        params.put("limit", limit);
        return jdbc.sql(sql.toString()).params(params).query(this::map).list();
    }

    @Override
    public List<Receipt> inReview(int limit) {
        return jdbc.sql(SELECT + " where status = 'failed' and data->>'settled_by' is null order by id limit :limit")
                .param("limit", limit).query(this::map).list();
    }

    Receipt map(ResultSet rs, int row) throws SQLException {
        List<ReceiptItem> items = new ArrayList<>();
        for (JsonNode item : json.readTree(rs.getString("items"))) {
            items.add(new ReceiptItem(item.path("name").asText(), item.path("sku").asText(),
                    item.path("price").asLong(), item.path("quantity").asLong(), item.path("sum").asLong(),
                    item.path("vat").asText(), item.path("vat_sum").asLong(), item.path("payment_object").asInt(),
                    item.path("measure").asInt()));
        }
        Map<String, Long> vats = new LinkedHashMap<>();
        for (var entry : json.readTree(rs.getString("vats")).properties()) {
            vats.put(entry.getKey(), entry.getValue().asLong());
        }
        return new Receipt(rs.getString("id"), rs.getString("order_id"), rs.getString("payment_id"),
                rs.getString("refund_id"), ReceiptType.fromWire(rs.getString("type")),
                ReceiptPaymentMethod.fromWire(rs.getString("payment_method")),
                ReceiptPurpose.fromWire(rs.getString("purpose")), ReceiptStatus.fromWire(rs.getString("status")),
                rs.getLong("total"), rs.getString("currency"), List.copyOf(items), vats, rs.getString("provider"),
                rs.getString("external_id"), rs.getString("external_uuid"), fiscal(rs.getString("fiscal")),
                error(rs.getString("error")), json.readValue(rs.getString("data"), OBJECT), rs.getString("corrects_id"),
                rs.getInt("attempts"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private FiscalAttributes fiscal(String text) {
        if (text == null) {
            return null;
        }
        JsonNode f = json.readTree(text);
        return new FiscalAttributes(f.path("fn_number").asText(), f.path("fiscal_document_number").asLong(),
                f.path("fiscal_document_attribute").asLong(),
                f.hasNonNull("fiscal_receipt_number") ? f.get("fiscal_receipt_number").asLong() : null,
                f.hasNonNull("shift_number") ? f.get("shift_number").asLong() : null,
                LocalDateTime.parse(f.path("receipt_datetime").asText()),
                f.path("ecr_registration_number").asText(null), f.path("fns_site").asText(null),
                f.path("ofd_inn").asText(null),
                f.hasNonNull("registered_at") ? java.time.OffsetDateTime.parse(f.get("registered_at").asText()).toInstant()
                        : null,
                f.path("fiscal_provider_id").asText(null));
    }

    private ReceiptError error(String text) {
        if (text == null) {
            return null;
        }
        JsonNode e = json.readTree(text);
        return new ReceiptError(e.hasNonNull("code") ? e.get("code").asInt() : null, e.path("text").asText(null),
                e.path("type").asText(null));
    }
}
