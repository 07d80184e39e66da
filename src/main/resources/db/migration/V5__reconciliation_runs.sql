-- Database-backed reconciliation: imported provider reports and bank statements, runs over a
-- period with their inputs and counts, the discrepancies each run found, and the exceptions
-- queue (one row per distinct discrepancy, by fingerprint) with every action on it.

create table recon_files (
    id           text primary key,
    kind         text not null check (kind in ('provider','bank')),
    format       text not null,
    name         text not null,
    sha256       text not null,
    bytes        bigint not null check (bytes >= 0),
    rows         bigint not null check (rows >= 0),
    rows_rejected bigint not null default 0,
    problems     jsonb not null default '[]'::jsonb,
    uploaded_at  timestamptz not null,
    unique (kind, sha256)
);
create index recon_files_uploaded_idx on recon_files (kind, uploaded_at);

create table recon_runs (
    id            text primary key,
    period_from   date not null,
    period_to     date not null check (period_to >= period_from),
    trigger       text not null check (trigger in ('api','schedule','cli')),
    inputs        jsonb not null,
    counts        jsonb not null default '{}'::jsonb,
    matched_rate  numeric(7,6),
    status        text not null check (status in ('running','succeeded','failed')),
    error         text,
    started_at    timestamptz not null,
    finished_at   timestamptz
);
create index recon_runs_started_idx on recon_runs (started_at);

create table recon_exceptions (
    id              text primary key,
    fingerprint     text not null unique,
    class           text not null,
    severity        text not null,
    status          text not null check (status in ('open','acknowledged','resolved','ignored')),
    order_id        text,
    evidence        jsonb not null,
    evidence_hash   text not null,
    first_run_id    text not null references recon_runs(id),
    last_run_id     text not null references recon_runs(id),
    resolution      text,
    ledger_entry_id text,
    created_at      timestamptz not null,
    updated_at      timestamptz not null
);
create index recon_exceptions_status_idx on recon_exceptions (status, id);
create index recon_exceptions_class_idx on recon_exceptions (class, id);

create table recon_exception_events (
    id              bigserial primary key,
    exception_id    text not null references recon_exceptions(id),
    action          text not null,
    from_status     text,
    to_status       text not null,
    api_key_id      text,
    actor           text,
    reason          text,
    run_id          text references recon_runs(id),
    ledger_entry_id text,
    occurred_at     timestamptz not null
);
create index recon_exception_events_exception_idx on recon_exception_events (exception_id, id);
create trigger recon_exception_events_immutable before update or delete on recon_exception_events
    for each row execute function forbid_change();

create table recon_run_discrepancies (
    run_id        text not null references recon_runs(id),
    seq           int not null,
    class         text not null,
    severity      text not null,
    leg           text not null,
    order_id      text,
    exception_id  text not null references recon_exceptions(id),
    evidence      jsonb not null,
    primary key (run_id, seq)
);
create index recon_run_discrepancies_order_idx on recon_run_discrepancies (order_id);
