-- Issue 14, receipt reconciliation (atol): four discrepancy classes (receipt_missing, receipt_failed,
-- receipt_sum_mismatch, receipt_vat_mismatch) and their leg (receipt). The checks are rebuilt as the
-- union of what they list now and the new values, so that another migration adding values to the same
-- checks (the bank leg's V28) keeps its own whichever runs first.
do $$
declare
    spec text[];
    allowed text;
begin
    foreach spec slice 1 in array array[
            array['recon_exceptions', 'class', 'receipt_missing,receipt_failed,receipt_sum_mismatch,receipt_vat_mismatch'],
            array['recon_run_discrepancies', 'class', 'receipt_missing,receipt_failed,receipt_sum_mismatch,receipt_vat_mismatch'],
            array['recon_run_discrepancies', 'leg', 'receipt']] loop
        select string_agg(quote_literal(v), ', ' order by v) into allowed
        from (select distinct m[1] as v
              from pg_constraint c,
                   lateral regexp_matches(pg_get_constraintdef(c.oid), '''([a-z0-9_]+)''', 'g') as m
              where c.conrelid = spec[1]::regclass and c.conname = spec[1] || '_' || spec[2] || '_check'
              union
              select unnest(string_to_array(spec[3], ','))) s;
        execute format('alter table %I drop constraint %I', spec[1], spec[1] || '_' || spec[2] || '_check');
        execute format('alter table %I add constraint %I check (%I in (%s))', spec[1],
                       spec[1] || '_' || spec[2] || '_check', spec[2], allowed);
    end loop;
end $$;
