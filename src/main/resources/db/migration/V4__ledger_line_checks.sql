-- Journal lines: the two per-row foreign keys (line -> entry, line -> account) become one check
-- per statement over all the lines the statement inserted, with the same guarantee.
--
-- Why: a foreign key checks each new row with its own query that also locks the referenced row
-- (FOR KEY SHARE, a WAL-logged change of the entry's or account's tuple). For the bulk path that
-- was about 40% of the time of posting a batch (two checks per line, 20,000 per 10,000 two-line
-- entries). The statement-level check below does one anti-join per statement instead.
--
-- Same guarantee: a line is only ever inserted if its entry and its account exist (checked after
-- the statement, seeing the entries it inserted itself, as a foreign key does), and what a
-- foreign key adds beyond that, that a referenced row cannot go away, holds because entries and
-- lines are never updated or deleted (V2), accounts are never deleted (V2), and from here on
-- accounts are never renamed and none of the three tables can be truncated (truncation skips row
-- triggers; with the foreign keys it was refused for the referenced tables alone). The row locks
-- a foreign key takes only protect against deletes and key updates, which are refused anyway.
-- Violations raise SQLSTATE 23503 (foreign_key_violation), as the constraints did.
alter table journal_lines drop constraint journal_lines_entry_id_fkey;
alter table journal_lines drop constraint journal_lines_account_code_fkey;

-- The planner settings pin the plan to index probes: the plan is cached per session, possibly
-- when journal_entries was still small, and must stay right when it holds millions of rows.
create function journal_lines_check_references() returns trigger language plpgsql
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
    return null;
end $$;

create trigger journal_lines_references after insert on journal_lines
    referencing new table as new_lines
    for each statement execute function journal_lines_check_references();

create trigger ledger_accounts_code_never_changes before update on ledger_accounts
    for each row when (old.code is distinct from new.code) execute function forbid_change();
create trigger ledger_accounts_never_truncated before truncate on ledger_accounts
    for each statement execute function forbid_change();
create trigger journal_entries_never_truncated before truncate on journal_entries
    for each statement execute function forbid_change();
create trigger journal_lines_never_truncated before truncate on journal_lines
    for each statement execute function forbid_change();
