-- The audit log: who did what to which object, when, under which request, and how it ended.
-- Append-only: rows are never updated, deleted or truncated (the triggers below refuse it), and
-- retention never purges it. A change writes its row in its own transaction, so a change that
-- rolls back leaves no "succeeded" row; a refused request (4xx) gets a row of its own.
create table audit_log (
    id           text primary key,                 -- aud_ + ULID: sorts in the order rows were made
    occurred_at  timestamptz not null default now(),
    actor_kind   text not null check (actor_kind in ('key', 'user', 'system')),
    actor_id     text not null,                    -- key id, user name or job name
    actor_name   text not null,
    actor_role   text,                             -- null for the system
    action       text not null,                    -- noun.verb: payment.capture, refund.create, ...
    object_type  text,
    object_id    text,
    request_id   text,                             -- req_...; null outside an API request
    http_method  text,
    http_path    text,
    http_status  int,                              -- set on rows the request filter writes
    outcome      text not null check (outcome in ('succeeded', 'refused', 'failed', 'unknown')),
    reason       text,                             -- why, for adjustments and exception actions
    details      jsonb not null default '{}'::jsonb
);
create index audit_log_actor_idx on audit_log (actor_id, id);
create index audit_log_object_idx on audit_log (object_id, id);
create index audit_log_action_idx on audit_log (action, id);
create index audit_log_occurred_idx on audit_log (occurred_at);

create trigger audit_log_immutable before update or delete on audit_log
    for each row execute function forbid_change();
create trigger audit_log_never_truncated before truncate on audit_log
    for each statement execute function forbid_change();

-- Idempotency claims are short committed rows with a lease instead of an uncommitted row held
-- open for the whole request: 'in_progress' while the instance named in claimed_by runs the
-- request, renewed while it runs; a claim whose lease expired (its process died) can be taken
-- over by a retry. Completion stores the answer and sets 'completed'.
alter table idempotency_keys add column claimed_by text;
alter table idempotency_keys add column lease_expires_at timestamptz;
alter table idempotency_keys alter column status set default 'in_progress';
