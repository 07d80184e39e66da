-- Issue 14, the bank leg (bankrecon): two new discrepancy classes, bank_debit_without_payout and
-- bank_credit_unexplained (DiscrepancyClass). The class checks are rebuilt as the union of what they list now and
-- the new classes, so that another migration adding classes to the same checks (receipt reconciliation) keeps its
-- own whichever of the two runs first.
do $$
declare
    tab text;
    allowed text;
begin
    foreach tab in array array['recon_exceptions', 'recon_run_discrepancies'] loop
        select string_agg(quote_literal(v), ', ' order by v) into allowed
        from (select distinct m[1] as v
              from pg_constraint c,
                   lateral regexp_matches(pg_get_constraintdef(c.oid), '''([a-z0-9_]+)''', 'g') as m
              where c.conrelid = tab::regclass and c.conname = tab || '_class_check'
              union
              select unnest(array['bank_debit_without_payout', 'bank_credit_unexplained'])) s;
        execute format('alter table %I drop constraint %I', tab, tab || '_class_check');
        execute format('alter table %I add constraint %I check (class in (%s))', tab, tab || '_class_check', allowed);
    end loop;
end $$;
