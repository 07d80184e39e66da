-- A reconciliation run reads its period's ledger balances as one range in the orders' order of
-- creation (OrderLedgerBalances.providerBalancesCreatedBetween, issue 14 "Speed") instead of
-- looking each order's entries up by id. For that an entry of an order carries:
--   order_created_at  the order's creation instant (as orders.created_at), given at posting time;
--   psp_currency,     the entry's own movement on the provider accounts assets:psp:* (the sum of
--   psp_minor         its lines there, debit positive, in the entry's one currency), null when the
--                     entry has no line there; computed from the lines at posting time,
-- so the run reads neither journal_lines nor orders. Like every column of an entry they never
-- change after the insert (journal_entries_immutable).
alter table journal_entries
    add column order_created_at timestamptz,
    add column psp_currency char(3),
    add column psp_minor bigint;

-- Existing entries, in one pass (one new row version each): the trigger that forbids changes is
-- off only for this statement, inside this migration's transaction.
alter table journal_entries disable trigger journal_entries_immutable;
update journal_entries e
set order_created_at = x.order_created_at, psp_currency = x.psp_currency, psp_minor = x.psp_minor
from (
    select j.id, o.created_at as order_created_at, p.currency as psp_currency, p.amount as psp_minor
    from journal_entries j
    left join orders o on o.id = j.order_id
    left join (
        select entry_id, min(currency) as currency, sum(amount_minor) as amount
        from journal_lines
        where account_code like 'assets:psp:%'
        group by entry_id
    ) p on p.entry_id = j.id
    where o.id is not null or p.entry_id is not null
) x
where x.id = e.id;
alter table journal_entries enable trigger journal_entries_immutable;

-- The run's range: entries of orders created in [from, to) that move a provider account, in
-- (order_created_at, order_id) order, with all the run needs in the index itself.
create index journal_entries_order_created_idx on journal_entries (order_created_at, order_id)
    include (source_type, psp_currency, psp_minor)
    where order_created_at is not null and psp_minor is not null;
