-- Scoped API keys (issue 9, item 2): every key has one role, and we remember where it came from,
-- so that keys configured by environment are revoked at start once they are no longer configured.
alter table api_keys
    add column role   text not null default 'admin',
    add column origin text not null default 'api';

update api_keys set origin = 'environment' where name = 'configured';
update api_keys set origin = 'generated' where name = 'generated on first start';

alter table api_keys alter column role drop default;
alter table api_keys alter column origin drop default;

alter table api_keys
    add constraint api_keys_role_known
        check (role in ('admin', 'store', 'operator', 'accountant', 'viewer', 'onec')),
    add constraint api_keys_origin_known
        check (origin in ('environment', 'generated', 'api', 'cli')),
    add constraint api_keys_name_length check (length(name) between 1 and 200);
