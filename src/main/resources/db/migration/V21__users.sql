-- Back-office users (issue 12): people who log in at /admin with a user name and a password,
-- on the same roles as API keys (those a person holds: admin, operator, accountant, viewer).
-- The password is kept as a delegating encoder's hash ({bcrypt}...). A user is disabled, never
-- deleted, so that the audit log keeps its actors.
create table users (
    username      text primary key,
    role          text not null,
    password_hash text not null,
    created_at    timestamptz not null default now(),
    disabled_at   timestamptz,
    constraint users_role_known check (role in ('admin', 'operator', 'accountant', 'viewer')),
    constraint users_username_shape check (username ~ '^[a-z0-9][a-z0-9._-]{0,63}$')
);
