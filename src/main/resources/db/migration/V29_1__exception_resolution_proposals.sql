-- A reconciliation exception resolved with a linked adjustment above the four-eyes threshold
-- (moneytrail.ledger.approval-above) is not resolved at once: the adjustment is proposed
-- (ledger_adjustment_proposals, owned by the ledger) and the exception stays acknowledged with its
-- resolution pending until another person approves it (then it is resolved with the posted entry)
-- or rejects it (then it is acknowledged again, without a pending resolution). No foreign key: the
-- proposals are another module's table.
alter table recon_exceptions add column pending_proposal_id text;
create unique index recon_exceptions_pending_proposal_idx on recon_exceptions (pending_proposal_id)
    where pending_proposal_id is not null;
alter table recon_exception_events add column proposal_id text;
-- the two new words ReconExceptions writes
alter table recon_exception_events drop constraint recon_exception_events_action_check;
alter table recon_exception_events add constraint recon_exception_events_action_check check (action in (
    'opened', 'reopened', 'evidence_changed', 'acknowledged', 'resolved', 'ignored', 'resolution_proposed',
    'resolution_rejected', 'adjustment_approved'));
