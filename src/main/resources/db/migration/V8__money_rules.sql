-- The database enforces the money rules itself, whoever writes to it (issue 9, item 11):
--
-- 1. Every journal entry balances per currency, and has lines, at commit: a deferred constraint
--    trigger fires once per journal_entries row (not per line) and sums that entry's lines.
--    An entry's lines are all written by one statement (numbered 0..n-1 within it; with the
--    primary key (entry_id, line_no) a later statement cannot add a line to an entry that has
--    lines), so no line can be added to an entry after its check ran.
-- 2. A payment's refunds that hold funds (every status but failed: pending, unknown,
--    needs_review, succeeded; as RefundState.holdsFunds) never exceed what the payment captured
--    (the sum of its capture money transactions, as Payments reads it).
-- 3. Status and other enumerated text columns take only the values of their Java enums
--    (StatusConstraintsTest compares them).
--
-- Errors: an unbalanced or empty entry, a refund beyond capture and a misnumbered statement of
-- lines raise SQLSTATE 23514 (check_violation) with the constraint name below, as a CHECK would.

-- ---------------------------------------------------------------- 1. balanced journal entries

-- One aggregate query per entry over the lines' primary key (entry_id, line_no): the number of
-- lines, their sum, and the lowest and highest currency (compared bytewise); an entry whose lines
-- are all in one currency balances when the sum is zero. Only an entry in several currencies, or
-- one that fails, takes a second query, grouped by currency. Measured per entry (backend CPU,
-- 10,000-entry batches): the grouped query alone cost about a third more than this one.
--
-- The entry's "reverses" reference is checked here as well, at commit: it replaces the foreign
-- key of V2, whose per-row trigger cost as much again as a no-op trigger for every entry although
-- almost none reverses another. The guarantee is the same (the entry reversed exists; entries
-- are never deleted or truncated), and it still raises 23503 under the foreign key's name.
--
-- enable_seqscan is pinned off, as in V4: the plan is cached per session, possibly while the
-- table is still small, and must stay an index lookup when it holds millions of rows.
create function journal_entry_check_balanced() returns trigger language plpgsql
    set enable_seqscan = off as $$
declare
    line_count bigint;
    total numeric;
    lowest text;
    highest text;
    unbalanced text;
    off_by numeric;
begin
    select count(*), sum(l.amount_minor), min(l.currency::text collate "C"), max(l.currency::text collate "C")
    into line_count, total, lowest, highest
    from journal_lines l where l.entry_id = new.id;
    if line_count = 0 then
        raise exception 'journal entry % has no lines', new.id
            using errcode = 'check_violation', constraint = 'journal_entries_balanced',
                  table = 'journal_entries';
    end if;
    if lowest <> highest or total <> 0 then
        select c.currency, c.total into unbalanced, off_by
        from (select l.currency::text collate "C" as currency, sum(l.amount_minor) as total
              from journal_lines l where l.entry_id = new.id group by 1) c
        where c.total <> 0
        order by c.currency
        limit 1;
        if found then
            raise exception 'journal entry % does not balance in %: its lines sum to %', new.id, unbalanced, off_by
                using errcode = 'check_violation', constraint = 'journal_entries_balanced',
                      table = 'journal_entries';
        end if;
    end if;
    if new.reverses is not null and not exists (select 1 from journal_entries r where r.id = new.reverses) then
        raise exception 'journal entry % reverses entry %, which does not exist', new.id, new.reverses
            using errcode = 'foreign_key_violation', constraint = 'journal_entries_reverses_fkey',
                  table = 'journal_entries';
    end if;
    return null;
end $$;

create constraint trigger journal_entries_balanced after insert on journal_entries
    deferrable initially deferred
    for each row execute function journal_entry_check_balanced();

alter table journal_entries drop constraint journal_entries_reverses_fkey;

-- The statement-level line check of V4, plus: within one statement, each entry's lines are
-- numbered 0..n-1. With the primary key that makes one statement the only one that ever writes
-- lines of an entry (a second one would repeat line 0), so lines cannot be added to an entry
-- whose balance was already checked: a committed one, or one of this transaction after
-- SET CONSTRAINTS ... IMMEDIATE ran its check. Costs one aggregate over the statement's own
-- lines, no lookup.
create or replace function journal_lines_check_references() returns trigger language plpgsql
    set enable_seqscan = off set enable_hashjoin = off set enable_mergejoin = off as $$
declare
    missing text;
begin
    select n.entry_id into missing
    from (select distinct entry_id from new_lines) n
    where not exists (select 1 from journal_entries e where e.id = n.entry_id)
    limit 1;
    if found then
        raise exception 'journal_lines: entry % does not exist', missing
            using errcode = 'foreign_key_violation';
    end if;
    select n.account_code into missing
    from (select distinct account_code from new_lines) n
    where not exists (select 1 from ledger_accounts a where a.code = n.account_code)
    limit 1;
    if found then
        raise exception 'journal_lines: account % does not exist', missing
            using errcode = 'foreign_key_violation';
    end if;
    select n.entry_id into missing
    from new_lines n
    group by n.entry_id
    having min(n.line_no) <> 0 or max(n.line_no) <> count(*) - 1
    limit 1;
    if found then
        raise exception 'journal_lines: the lines of entry % are not numbered 0..n-1 by one statement (an entry''s lines are written at once)', missing
            using errcode = 'check_violation', constraint = 'journal_lines_written_with_entry',
                  table = 'journal_lines';
    end if;
    return null;
end $$;

-- What is already there must obey the same rules, or the migration stops.
do $$
declare
    bad text;
begin
    select e.id into bad
    from journal_entries e
    where not exists (select 1 from journal_lines l where l.entry_id = e.id)
    limit 1;
    if found then
        raise exception 'journal entry % has no lines', bad
            using errcode = 'check_violation', constraint = 'journal_entries_balanced';
    end if;
    select l.entry_id into bad
    from journal_lines l
    group by l.entry_id, l.currency
    having sum(l.amount_minor) <> 0
    limit 1;
    if found then
        raise exception 'journal entry % does not balance', bad
            using errcode = 'check_violation', constraint = 'journal_entries_balanced';
    end if;
    select l.entry_id into bad
    from journal_lines l
    group by l.entry_id
    having min(l.line_no) <> 0 or max(l.line_no) <> count(*) - 1
    limit 1;
    if found then
        raise exception 'the lines of journal entry % are not numbered 0..n-1', bad
            using errcode = 'check_violation', constraint = 'journal_lines_written_with_entry';
    end if;
end $$;

-- ---------------------------------------------------------------- 2. refunds within captured

-- The trigger updates the payment's row (to the same values) before it sums. Two transactions
-- adding refunds to one payment therefore take turns: under READ COMMITTED the second waits for
-- the first to end and then sums with a fresh snapshot that sees the first's refund; under
-- REPEATABLE READ or SERIALIZABLE the second fails with 40001 (serialization_failure) instead
-- of summing on a snapshot that misses it. A plain row lock (FOR UPDATE) would not do the
-- latter. The service itself locks the order and then the payment before it inserts a refund,
-- so for it the update takes no new lock.
create function refunds_check_within_captured() returns trigger language plpgsql as $$
declare
    captured bigint;
    held bigint;
begin
    update payments set updated_at = updated_at where id = new.payment_id;
    select coalesce(sum(t.amount_minor), 0) into captured
    from payment_transactions t where t.payment_id = new.payment_id and t.kind = 'capture';
    select coalesce(sum(r.amount), 0) into held
    from refunds r where r.payment_id = new.payment_id and r.status <> 'failed';
    if held > captured then
        raise exception 'refunds of payment % would come to % but only % is captured', new.payment_id, held, captured
            using errcode = 'check_violation', constraint = 'refunds_within_captured', table = 'refunds';
    end if;
    return null;
end $$;

-- Only what can raise the sum is checked: a new refund that holds funds, or a change of amount,
-- payment or status that makes one hold more (a failed refund is final in RefundState, but the
-- database does not rely on that). Captured money never shrinks: money transactions are
-- immutable (V1) and, from here on, cannot be truncated.
create trigger refunds_within_captured after insert on refunds
    for each row when (new.status <> 'failed')
    execute function refunds_check_within_captured();
create trigger refunds_within_captured_on_change after update of payment_id, amount, status on refunds
    for each row when (new.status <> 'failed'
                       and (old.status = 'failed' or new.amount > old.amount or new.payment_id <> old.payment_id))
    execute function refunds_check_within_captured();
create trigger payment_transactions_never_truncated before truncate on payment_transactions
    for each statement execute function forbid_change();

do $$
declare
    bad text;
begin
    select r.payment_id into bad
    from refunds r
    where r.status <> 'failed'
    group by r.payment_id
    having sum(r.amount) > (select coalesce(sum(t.amount_minor), 0) from payment_transactions t
                            where t.payment_id = r.payment_id and t.kind = 'capture')
    limit 1;
    if found then
        raise exception 'the refunds of payment % exceed what it captured', bad
            using errcode = 'check_violation', constraint = 'refunds_within_captured';
    end if;
end $$;

-- ---------------------------------------------------------------- 3. known values only

-- PaymentState
alter table payments add constraint payments_status_check check (status in (
    'requires_action', 'processing', 'authorized', 'partially_captured', 'captured', 'voided', 'failed', 'expired',
    'unknown', 'needs_review'));

-- OutboundEventType
alter table outbox_events add constraint outbox_events_type_check check (type in (
    'order.paid', 'order.partially_paid', 'order.payment_failed', 'order.refunded', 'order.partially_refunded',
    'order.cancelled', 'order.expired', 'order.fulfilled', 'payment.authorized', 'payment.captured',
    'payment.needs_review', 'refund.succeeded', 'refund.failed'));

-- DiscrepancyClass, Severity and Leg
alter table recon_exceptions add constraint recon_exceptions_class_check check (class in (
    'charged_unknown_to_us', 'duplicate_charge', 'captured_on_cancelled_order', 'refund_at_provider_not_recorded',
    'chargeback_not_recorded', 'payout_not_received', 'payout_net_differs_from_transactions', 'amount_mismatch',
    'currency_mismatch', 'paid_order_without_provider_record', 'refund_recorded_not_at_provider',
    'bank_credit_without_payout', 'status_mismatch', 'ledger_disagrees_with_derived_status',
    'fee_differs_from_tariff'));
alter table recon_exceptions add constraint recon_exceptions_severity_check check (severity in (
    'critical', 'high', 'medium', 'low'));
alter table recon_run_discrepancies add constraint recon_run_discrepancies_class_check check (class in (
    'charged_unknown_to_us', 'duplicate_charge', 'captured_on_cancelled_order', 'refund_at_provider_not_recorded',
    'chargeback_not_recorded', 'payout_not_received', 'payout_net_differs_from_transactions', 'amount_mismatch',
    'currency_mismatch', 'paid_order_without_provider_record', 'refund_recorded_not_at_provider',
    'bank_credit_without_payout', 'status_mismatch', 'ledger_disagrees_with_derived_status',
    'fee_differs_from_tariff'));
alter table recon_run_discrepancies add constraint recon_run_discrepancies_severity_check check (severity in (
    'critical', 'high', 'medium', 'low'));
alter table recon_run_discrepancies add constraint recon_run_discrepancies_leg_check check (leg in (
    'internal', 'provider', 'bank'));

-- ExceptionStatus; the actions are the words ReconExceptions writes
alter table recon_exception_events add constraint recon_exception_events_from_status_check check (from_status in (
    'open', 'acknowledged', 'resolved', 'ignored'));
alter table recon_exception_events add constraint recon_exception_events_to_status_check check (to_status in (
    'open', 'acknowledged', 'resolved', 'ignored'));
alter table recon_exception_events add constraint recon_exception_events_action_check check (action in (
    'opened', 'reopened', 'evidence_changed', 'acknowledged', 'resolved', 'ignored'));

-- ProviderFormat for provider reports; BankFormat for bank statements (CLIENT_BANK_EXCHANGE is "1c")
alter table recon_files add constraint recon_files_format_check check (
    (kind = 'provider' and format in ('stripe', 'yookassa', 'sandbox'))
    or (kind = 'bank' and format in ('camt053', 'mt940', '1c')));
