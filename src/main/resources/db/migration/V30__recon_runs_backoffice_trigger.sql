-- A reconciliation run started on the back office's reconciliation page is recorded as such
-- (trigger 'backoffice'), beside the API's, the daily schedule's and the command line's.
alter table recon_runs drop constraint recon_runs_trigger_check;
alter table recon_runs add constraint recon_runs_trigger_check
    check (trigger in ('api', 'schedule', 'cli', 'backoffice'));
