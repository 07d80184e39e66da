package io.moneytrail.payment;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.moneytrail.database.TransactionBuffer;
import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.OrderMoney;
import io.moneytrail.order.PaymentStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Payment attempts and their immutable money transactions, with explicit SQL. */
@Repository
class Payments {

    private static final String SELECT = """
            select p.id, p.order_id, p.provider, p.provider_payment_id, p.capture_method, p.status, p.amount,
                   p.currency, p.return_url, p.redirect_url, p.failure_code, p.failure_message, p.created_at,
                   coalesce(sum(t.amount_minor) filter (where t.kind = 'authorization'), 0) as authorized,
                   coalesce(sum(t.amount_minor) filter (where t.kind = 'capture'), 0) as captured,
                   coalesce(sum(t.amount_minor) filter (where t.kind = 'void'), 0) as voided,
                   coalesce(sum(t.amount_minor) filter (where t.kind = 'refund'), 0) as refunded
            from payments p left join payment_transactions t on t.payment_id = p.id
            """;
    private static final String GROUP = " group by p.id";

    private final JdbcClient jdbc;

    /** The payments whose check {@link #clearCheckIfSettled} clears when this transaction commits. */
    private final TransactionBuffer<String> clears;
    /** The checks {@link #scheduleCheck} schedules when this transaction commits. */
    private final TransactionBuffer<Scheduled> schedules;

    /** A check to schedule: the payment, when, and since when it is unsettled (if not yet). */
    private record Scheduled(String paymentId, Instant at, Instant now) {
    }

    private final tools.jackson.databind.ObjectMapper json;

    Payments(JdbcClient jdbc, tools.jackson.databind.ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.clears = new TransactionBuffer<>(jdbc, Payments::clearIfSettled);
        this.schedules = new TransactionBuffer<>(jdbc, Payments::schedule);
    }

    /** Inserts a new attempt with the resolver's check already scheduled at {@code checkAt}. */
    void insert(String id, String orderId, String provider, CaptureMethod captureMethod, Money amount,
                String returnUrl, Instant now, String creationKey, Instant checkAt) {
        jdbc.sql("""
                insert into payments (id, order_id, provider, capture_method, status, amount, currency,
                                      return_url, created_at, updated_at, creation_key, check_since, next_check_at)
                values (:id, :order, :provider, :method, 'requires_action', :amount, :currency, :returnUrl, :now, :now,
                        :creationKey, :now, :checkAt)
                """)
                .param("checkAt", Timestamp.from(checkAt))
                .param("creationKey", creationKey)
                .param("id", id).param("order", orderId).param("provider", provider)
                .param("method", captureMethod.wire()).param("amount", amount.amountMinor())
                .param("currency", amount.currencyCode()).param("returnUrl", returnUrl)
                .param("now", Timestamp.from(now))
                .update();
    }

    public Optional<Payment> find(String id) {
        return remember(jdbc.sql(SELECT + " where p.id = :id" + GROUP).param("id", id).query(Payments::map).optional());
    }

    /**
     * What never changes about a payment once it is written: its id, its order and its provider.
     * Enough to take the locks in order (order, then payment) and to pick the provider.
     */
    record Ref(String id, String orderId, String provider) {
        static Ref of(Payment payment) {
            return new Ref(payment.id(), payment.orderId(), payment.provider());
        }
    }

    /** How many {@link Ref}s this instance keeps in memory (the latest payments it read). */
    static final int REFS_MAX = 50_000;

    /**
     * The refs of payments this instance read lately, by id. A payment's order and provider never
     * change (no statement updates them, and payments are never deleted), so an entry cannot go
     * stale and needs no expiry: the bound only limits memory (Caffeine's eviction: any entry may go).
     */
    private final Cache<String, Ref> refs = Caffeine.newBuilder().maximumSize(REFS_MAX).build();

    private Optional<Payment> remember(Optional<Payment> read) {
        read.ifPresent(this::remember);
        return read;
    }

    private Payment remember(Payment read) {
        refs.asMap().putIfAbsent(read.id(), Ref.of(read));
        return read;
    }

    /** The payment's order and provider: from memory when this instance has read the payment before, else one lookup. */
    Optional<Ref> ref(String id) {
        Ref known = refs.getIfPresent(id);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Ref> read = jdbc.sql("select order_id, provider from payments where id = :id").param("id", id)
                .query((rs, n) -> new Ref(id, rs.getString(1), rs.getString(2))).optional();
        read.ifPresent(ref -> refs.asMap().putIfAbsent(id, ref));
        return read;
    }

    public Payment get(String id) {
        return find(id).orElseThrow(() -> MoneytrailException.notFound("payment", id));
    }

    Optional<String> idByCreationKey(String creationKey) {
        return jdbc.sql("select id from payments where creation_key = :key").param("key", creationKey)
                .query(String.class).optional();
    }

    /** The payment's order, without summing its money: enough to take the locks in order. */
    String orderIdOf(String id) {
        return jdbc.sql("select order_id from payments where id = :id").param("id", id).query(String.class)
                .optional().orElseThrow(() -> MoneytrailException.notFound("payment", id));
    }

    public Optional<Payment> findByProviderId(String provider, String providerPaymentId) {
        return remember(jdbc.sql(SELECT + " where p.provider = :provider and p.provider_payment_id = :pid" + GROUP)
                .param("provider", provider).param("pid", providerPaymentId).query(Payments::map).optional());
    }

    /** An order's money (its row of {@code order_money}) and its payments, oldest first. */
    record OrderPayments(OrderMoney money, List<Payment> payments) {
    }

    /** The order's money and its payments in one statement (no money facts yet: every sum zero, unpaid). */
    OrderPayments ofOrderWithMoney(String orderId) {
        List<OrderMoney> money = new java.util.ArrayList<>(1);
        List<Payment> found = new java.util.ArrayList<>();
        jdbc.sql("""
                        select m.amount_authorized as m_authorized, m.amount_authorized_open as m_authorized_open,
                               m.amount_captured as m_captured, m.amount_voided as m_voided,
                               m.amount_refunded as m_refunded, m.payment_status as m_payment_status, x.*
                        from (select 1) one
                        left join order_money m on m.order_id = :order
                        left join (%s where p.order_id = :order%s) x on true
                        order by x.id
                        """.formatted(SELECT, GROUP))
                .param("order", orderId)
                .query((rs, n) -> {
                    if (money.isEmpty()) {
                        String status = rs.getString("m_payment_status");
                        money.add(status == null ? new OrderMoney(0, 0, 0, 0, 0, PaymentStatus.UNPAID)
                                : new OrderMoney(rs.getLong("m_authorized"), rs.getLong("m_authorized_open"),
                                        rs.getLong("m_captured"), rs.getLong("m_voided"), rs.getLong("m_refunded"),
                                        PaymentStatus.fromWire(status)));
                    }
                    if (rs.getString("id") != null) {
                        found.add(map(rs, n));
                    }
                    return n;
                })
                .list();
        return new OrderPayments(money.get(0), List.copyOf(found));
    }

    public List<Payment> ofOrder(String orderId) {
        return jdbc.sql(SELECT + " where p.order_id = :order" + GROUP + " order by p.id")
                .param("order", orderId).query(Payments::map).list();
    }

    /** The payment row locked and read with its money; {@code %s}: more columns (empty, or a leading comma). */
    private static final String LOCK = """
            select p.id, p.order_id, p.provider, p.provider_payment_id, p.capture_method, p.status,
                   p.amount, p.currency, p.return_url, p.redirect_url, p.failure_code, p.failure_message,
                   p.created_at, s.authorized, s.captured, s.voided, s.refunded%s
            from payments p cross join lateral (
                select coalesce(sum(t.amount_minor) filter (where t.kind = 'authorization'), 0) as authorized,
                       coalesce(sum(t.amount_minor) filter (where t.kind = 'capture'), 0) as captured,
                       coalesce(sum(t.amount_minor) filter (where t.kind = 'void'), 0) as voided,
                       coalesce(sum(t.amount_minor) filter (where t.kind = 'refund'), 0) as refunded
                from payment_transactions t where t.payment_id = p.id) s
            where p.id = :id
            for update of p
            """;

    /**
     * Locks the payment row and reads it with its money in one statement; callers lock its order
     * first (always order, then payment).
     */
    Payment lock(String id) {
        return remember(jdbc.sql(LOCK.formatted(""))
                .param("id", id).query(Payments::map).optional()
                .orElseThrow(() -> MoneytrailException.notFound("payment", id)));
    }

    /** A payment read under its lock with its refunds (oldest first). */
    record LockedWithRefunds(Payment payment, Refunds.OfPayment refunds) {
    }

    /** As {@link #lock}, also reading the payment's refunds: one statement. */
    LockedWithRefunds lockWithRefunds(String id) {
        return jdbc.sql(LOCK.formatted(", " + Refunds.JSON_OF_PAYMENT + " as refunds"))
                .param("id", id)
                .query((rs, n) -> {
                    Payment payment = remember(map(rs, n));
                    return new LockedWithRefunds(payment,
                            Refunds.fromJson(json, rs.getString("refunds"), payment.id(), payment.orderId()));
                })
                .optional()
                .orElseThrow(() -> MoneytrailException.notFound("payment", id));
    }

    /**
     * Moves the payment to {@code state} and answers it as a read right after would (with its
     * money as recorded so far in this transaction), in one statement.
     */
    Payment updateState(String id, PaymentState state, Instant now) {
        return jdbc.sql("""
                        with p as (update payments set status = :status, updated_at = :now where id = :id returning *)
                        select p.id, p.order_id, p.provider, p.provider_payment_id, p.capture_method, p.status,
                               p.amount, p.currency, p.return_url, p.redirect_url, p.failure_code, p.failure_message,
                               p.created_at, s.authorized, s.captured, s.voided, s.refunded
                        from p cross join lateral (
                            select coalesce(sum(t.amount_minor) filter (where t.kind = 'authorization'), 0) as authorized,
                                   coalesce(sum(t.amount_minor) filter (where t.kind = 'capture'), 0) as captured,
                                   coalesce(sum(t.amount_minor) filter (where t.kind = 'void'), 0) as voided,
                                   coalesce(sum(t.amount_minor) filter (where t.kind = 'refund'), 0) as refunded
                            from payment_transactions t where t.payment_id = p.id) s
                        """)
                .param("status", state.wire()).param("now", Timestamp.from(now)).param("id", id)
                .query(Payments::map).optional().orElseThrow(() -> MoneytrailException.notFound("payment", id));
    }

    void linkProvider(String id, String providerPaymentId, String redirectUrl, Instant now) {
        jdbc.sql("""
                update payments set provider_payment_id = coalesce(:pid, provider_payment_id),
                                    redirect_url = coalesce(:redirect, redirect_url), updated_at = :now
                where id = :id
                """)
                .param("pid", providerPaymentId).param("redirect", redirectUrl)
                .param("now", Timestamp.from(now)).param("id", id).update();
    }

    void recordFailure(String id, String code, String message, Instant now) {
        jdbc.sql("update payments set failure_code = :code, failure_message = :message, updated_at = :now where id = :id")
                .param("code", code).param("message", message).param("now", Timestamp.from(now)).param("id", id)
                .update();
    }

    /**
     * Records a money movement once: a second call with the same payment, kind and provider
     * reference is a no-op. Returns the new transaction's id when this call recorded it.
     */
    Optional<String> recordTransaction(Payment payment, String refundId, MoneyTransaction.Kind kind, long amountMinor,
                              String providerReference, Instant occurredAt) {
        String id = Ids.next(Ids.TRANSACTION);
        int inserted = jdbc.sql("""
                        insert into payment_transactions (id, payment_id, order_id, refund_id, kind, amount_minor,
                                                          currency, provider_reference, occurred_at)
                        values (:id, :payment, :order, :refund, :kind, :amount, :currency, :ref, :at)
                        on conflict (payment_id, kind, provider_reference) do nothing
                        """)
                .param("id", id).param("payment", payment.id()).param("order", payment.orderId())
                .param("refund", refundId).param("kind", kind.wire()).param("amount", amountMinor)
                .param("currency", payment.amount().currencyCode()).param("ref", providerReference)
                .param("at", Timestamp.from(occurredAt))
                .update();
        return inserted == 1 ? Optional.of(id) : Optional.empty();
    }

    /** A money movement the provider reported, to be recorded once by (payment, kind, provider reference). */
    record Fact(MoneyTransaction.Kind kind, String refundId, long amountMinor, String reference, Instant at) {
    }

    /** A fact this call recorded, with its new transaction id. */
    record Recorded(String transactionId, Fact fact) {
    }

    /**
     * Records several money movements in one statement; each is recorded once (a repeat is a
     * no-op). Returns those this call recorded, in the order given.
     */
    List<Recorded> recordTransactions(Payment payment, List<Fact> facts) {
        return recordTransactions(payment, facts, null);
    }

    /**
     * As {@link #recordTransactions(Payment, List)}; when {@code moneyBefore} is given, it is
     * handed the order's money as it was before this insert, read by the same statement (a
     * statement's sub-statements share one snapshot, so {@code order_money} does not see the rows
     * it inserts).
     */
    List<Recorded> recordTransactions(Payment payment, List<Fact> facts,
                                      java.util.function.Consumer<io.moneytrail.order.OrderMoney> moneyBefore) {
        if (facts.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder(moneyBefore == null ? "" : "with ins as (");
        sql.append("""
                insert into payment_transactions (id, payment_id, order_id, refund_id, kind, amount_minor, currency,
                                                  provider_reference, occurred_at)
                values\s""");
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < facts.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:id").append(i).append(", :payment, :order, :refund").append(i)
                    .append(", :kind").append(i).append(", :amount").append(i).append(", :currency, :ref").append(i)
                    .append(", :at").append(i).append(")");
        }
        sql.append(" on conflict (payment_id, kind, provider_reference) do nothing returning id");
        if (moneyBefore != null) {
            sql.append("""
                    )
                    select m.order_id, m.amount_authorized, m.amount_authorized_open, m.amount_captured, m.amount_voided,
                           m.amount_refunded, m.payment_status, (select array_agg(ins.id) from ins) as inserted
                    from order_money m where m.order_id = :order
                    """);
        }
        var spec = jdbc.sql(sql.toString()).param("payment", payment.id()).param("order", payment.orderId())
                .param("currency", payment.amount().currencyCode());
        for (int i = 0; i < facts.size(); i++) {
            Fact fact = facts.get(i);
            String id = Ids.next(Ids.TRANSACTION);
            ids.add(id);
            spec = spec.param("id" + i, id).param("refund" + i, fact.refundId()).param("kind" + i, fact.kind().wire())
                    .param("amount" + i, fact.amountMinor()).param("ref" + i, fact.reference())
                    .param("at" + i, Timestamp.from(fact.at()));
        }
        java.util.Set<String> inserted = new java.util.HashSet<>();
        if (moneyBefore == null) {
            inserted.addAll(spec.query(String.class).list());
        } else {
            spec.query((rs, n) -> {
                moneyBefore.accept(OrderMoneyView.map(rs, n));
                java.sql.Array returned = rs.getArray("inserted");
                if (returned != null) {
                    inserted.addAll(java.util.Arrays.asList((String[]) returned.getArray()));
                }
                return n;
            }).list();
        }
        List<Recorded> recorded = new java.util.ArrayList<>();
        for (int i = 0; i < facts.size(); i++) {
            if (inserted.contains(ids.get(i))) {
                recorded.add(new Recorded(ids.get(i), facts.get(i)));
            }
        }
        return recorded;
    }

    /** Asks the resolver to check this payment at {@code at} (or earlier, if already due sooner). */
    /**
     * Schedules the check, written just before the transaction commits with its other buffered
     * rows in one statement ({@link TransactionBuffer}). The check writes of one transaction keep
     * their order: each writes the other kind's buffered rows first.
     */
    void scheduleCheck(String id, Instant at, Instant now) {
        clears.flush();
        schedules.add(new Scheduled(id, at, now));
    }

    /** The update of {@link #scheduleCheck}, for the given checks (the earliest of each payment), in one statement. */
    private static TransactionBuffer.Piece schedule(List<Scheduled> checks, String prefix) {
        Map<String, Scheduled> earliest = new java.util.LinkedHashMap<>();
        for (Scheduled check : checks) {
            // an update may change a row once: least() of one payment's checks, the earliest "since"
            earliest.merge(check.paymentId(), check, (a, b) -> new Scheduled(a.paymentId(),
                    a.at().isBefore(b.at()) ? a.at() : b.at(), a.now().isBefore(b.now()) ? a.now() : b.now()));
        }
        return new TransactionBuffer.Piece(List.of(prefix + """
                scheduled as (
                    update payments p set check_since = coalesce(p.check_since, x.since),
                                          next_check_at = least(coalesce(p.next_check_at, x.due), x.due)
                    from unnest(cast(:%1$sids as text[]), cast(:%1$sdue as timestamptz[]),
                                cast(:%1$ssince as timestamptz[])) as x(id, due, since)
                    where p.id = x.id
                )""".formatted(prefix)), Map.of(
                prefix + "ids", earliest.keySet().toArray(String[]::new),
                prefix + "due", earliest.values().stream().map(c -> c.at().toString()).toArray(String[]::new),
                prefix + "since", earliest.values().stream().map(c -> c.now().toString()).toArray(String[]::new)));
    }

    /** Writes the check writes this transaction buffered so far, in their order. */
    private void flushChecks() {
        clears.flush();
        schedules.flush();
    }

    void clearCheck(String id) {
        flushChecks();
        jdbc.sql("update payments set check_since = null, next_check_at = null, check_attempts = 0 where id = :id")
                .param("id", id).update();
    }

    /**
     * Clears a payment's scheduled check in the transaction that saved a settled answer, when
     * nothing is left to ask: the payment itself is captured, voided or failed (what the caller
     * has just applied under the locks), none of its refunds is unsettled and no capture or void
     * is unfinished. Every intent that could unsettle it again takes the same locks and schedules
     * its own check, so the check is never cleared under an intent whose answer is still missing.
     * Writes nothing when no check is scheduled. The update runs just before the transaction
     * commits, with its other buffered rows in one statement ({@link TransactionBuffer}), so the
     * conditions are judged on everything the transaction did; another check write of this
     * transaction writes it first, keeping their order.
     */
    void clearCheckIfSettled(String id) {
        schedules.flush();
        clears.add(id);
    }

    /** The update of {@link #clearCheckIfSettled}, for the given payments, as part of one statement. */
    private static TransactionBuffer.Piece clearIfSettled(List<String> ids, String prefix) {
        return new TransactionBuffer.Piece(List.of(prefix + """
                cleared as (
                    update payments p set check_since = null, next_check_at = null, check_attempts = 0
                    where p.id = any(cast(:%1$sids as text[])) and p.next_check_at is not null
                      and p.status in ('captured', 'voided', 'failed')
                      and not exists (select 1 from refunds r where r.payment_id = p.id
                                      and r.status in ('pending', 'unknown'))
                      and not exists (select 1 from payment_operations o where o.payment_id = p.id
                                      and o.status in ('open', 'unknown'))
                )""".formatted(prefix)),
                Map.of(prefix + "ids", new LinkedHashSet<>(ids).toArray(String[]::new)));
    }

    /** A counted check: attempts so far, and since when the payment has been unsettled. */
    record CheckCount(int attempts, Instant since) {
    }

    /** Counts a check. */
    CheckCount countCheck(String id) {
        flushChecks();
        return jdbc.sql("""
                        update payments set check_attempts = check_attempts + 1,
                                            check_since = coalesce(check_since, now())
                        where id = :id returning check_attempts, check_since
                        """)
                .param("id", id)
                .query((rs, n) -> new CheckCount(rs.getInt(1), rs.getTimestamp(2).toInstant())).single();
    }

    void nextCheck(String id, Instant at) {
        flushChecks();
        jdbc.sql("update payments set next_check_at = :at where id = :id")
                .param("at", Timestamp.from(at)).param("id", id).update();
    }

    /**
     * Claims payments whose check is due, leasing them for {@code lease} so that another
     * instance does not check them at the same time; a crashed claimant's lease runs out.
     */
    List<String> claimDueChecks(Instant now, java.time.Duration lease, int limit) {
        // a read first: an idle sweep (the common case) is a read, not a write transaction
        if (!jdbc.sql("select exists (select 1 from payments where next_check_at <= :now)")
                .param("now", Timestamp.from(now)).query(Boolean.class).single()) {
            return List.of();
        }
        return jdbc.sql("""
                        update payments set next_check_at = :leaseUntil
                        where id in (select id from payments where next_check_at <= :now
                                     order by next_check_at limit :limit for update skip locked)
                        returning id
                        """)
                .param("now", Timestamp.from(now)).param("leaseUntil", Timestamp.from(now.plus(lease)))
                .param("limit", limit).query(String.class).list();
    }

    /** Payments under review or awaiting an answer, oldest first. */
    public List<Payment> inReview(int limit) {
        return jdbc.sql(SELECT + " where p.status = 'needs_review'" + GROUP + " order by p.updated_at limit :limit")
                .param("limit", limit).query(Payments::map).list();
    }

    public List<MoneyTransaction> transactionsOfOrder(String orderId) {
        return jdbc.sql("""
                        select id, payment_id, order_id, refund_id, kind, amount_minor, currency, provider_reference,
                               occurred_at
                        from payment_transactions where order_id = :order order by recorded_at, id
                        """)
                .param("order", orderId)
                .query((rs, n) -> new MoneyTransaction(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), MoneyTransaction.Kind.valueOf(rs.getString(5).toUpperCase()),
                        Money.of(rs.getLong(6), rs.getString(7)), rs.getString(8), rs.getTimestamp(9).toInstant()))
                .list();
    }

    private static Payment map(ResultSet rs, int row) throws SQLException {
        return new Payment(rs.getString("id"), rs.getString("order_id"), rs.getString("provider"),
                rs.getString("provider_payment_id"), CaptureMethod.valueOf(rs.getString("capture_method").toUpperCase()),
                PaymentState.fromWire(rs.getString("status")), Money.of(rs.getLong("amount"), rs.getString("currency")),
                rs.getLong("authorized"), rs.getLong("captured"), rs.getLong("voided"), rs.getLong("refunded"),
                rs.getString("return_url"), rs.getString("redirect_url"), rs.getString("failure_code"),
                rs.getString("failure_message"), rs.getTimestamp("created_at").toInstant());
    }
}
