-- Ledger adjustments under the four-eyes rule (moneytrail.ledger.approval-above): an adjustment
-- above the threshold is kept here as a proposal and posted to the journal only when a second,
-- different actor approves it. Decided once: approved (with the posted entry) or rejected.
create table ledger_adjustment_proposals (
    id               text primary key,
    reference        text not null unique,
    order_id         text,
    currency         char(3) not null,
    amount_minor     bigint not null check (amount_minor > 0),
    lines            jsonb not null,
    reason           text not null,
    effective_at     timestamptz,
    status           text not null check (status in ('proposed', 'approved', 'rejected')),
    proposed_by_kind text not null,
    proposed_by_id   text not null,
    proposed_by      text not null,
    proposed_at      timestamptz not null,
    decided_by_kind  text,
    decided_by_id    text,
    decided_by       text,
    decided_at       timestamptz,
    decision_reason  text,
    journal_entry_id text references journal_entries (id),
    check ((status = 'proposed') = (decided_at is null)),
    check ((status = 'approved') = (journal_entry_id is not null)),
    check (status = 'proposed' or decided_by_kind <> proposed_by_kind or decided_by_id <> proposed_by_id)
);

create index ledger_adjustment_proposals_status on ledger_adjustment_proposals (status, id);
