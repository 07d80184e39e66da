-- Double-entry ledger: chart of accounts, immutable journal entries and lines.
-- A line's amount is signed: debit positive, credit negative; an entry's lines sum to zero
-- per currency (checked when an entry is built and again when it is read back).

create table ledger_accounts (
    code        text primary key
                check (code ~ '^(assets|liabilities|income|expenses|equity)(:[a-z0-9_]+)+$'),
    type        text not null check (type in ('asset','liability','income','expense','equity')),
    name        text not null,
    created_at  timestamptz not null default now()
);
create trigger ledger_accounts_never_deleted before delete on ledger_accounts
    for each row execute function forbid_change();

insert into ledger_accounts (code, type, name) values
    ('assets:psp:sandbox',            'asset',     'Money held by the sandbox provider'),
    ('assets:bank:main',              'asset',     'Main bank account'),
    ('assets:suspense',               'asset',     'Unexplained money in (to be investigated)'),
    ('liabilities:customer_advances', 'liability', 'Customer advances: paid, not yet fulfilled'),
    ('liabilities:vat_payable',       'liability', 'VAT payable'),
    ('liabilities:suspense',          'liability', 'Unexplained money owed (to be investigated)'),
    ('income:sales',                  'income',    'Sales revenue, net of VAT'),
    ('income:sales_returns',          'income',    'Sales returns (contra-revenue), net of VAT'),
    ('expenses:psp_fees',             'expense',   'Payment provider fees'),
    ('expenses:chargebacks',          'expense',   'Chargebacks lost'),
    ('expenses:adjustments',          'expense',   'Operator adjustments'),
    ('equity:opening_balances',       'equity',    'Opening balances');

create table journal_entries (
    id            text primary key,
    source_type   text not null,
    source_id     text not null,
    -- SHA-256 of the entry's content: the same source posted again with other content is an error
    fingerprint   bytea not null,
    order_id      text,
    effective_at  timestamptz not null,
    recorded_at   timestamptz not null default now(),
    description   text not null,
    reverses      text references journal_entries(id),
    actor         text,
    reason        text,
    unique (source_type, source_id)
);
create index journal_entries_order_idx on journal_entries (order_id) where order_id is not null;
create index journal_entries_effective_idx on journal_entries (effective_at, id);
create unique index journal_entries_reversed_once on journal_entries (reverses) where reverses is not null;

create table journal_lines (
    entry_id      text not null references journal_entries(id),
    line_no       smallint not null,
    account_code  text not null references ledger_accounts(code),
    amount_minor  bigint not null check (amount_minor <> 0),
    currency      char(3) not null,
    -- copied from the entry (both immutable) so balances as of an instant use one index
    effective_at  timestamptz not null,
    primary key (entry_id, line_no)
);
create index journal_lines_account_idx on journal_lines (account_code, currency, effective_at);

create trigger journal_entries_immutable before update or delete on journal_entries
    for each row execute function forbid_change();
create trigger journal_lines_immutable before update or delete on journal_lines
    for each row execute function forbid_change();
