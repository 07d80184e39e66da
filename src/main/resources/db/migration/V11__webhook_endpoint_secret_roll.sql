-- Rolling a webhook endpoint's signing secret. The previous secret keeps signing alongside the
-- new one (two v1 signatures in one header) until previous_secret_expires_at, so a store can
-- deploy the new secret without refusing deliveries in between. Past that time it is ignored,
-- and the next roll overwrites it.
alter table webhook_endpoints
    add column previous_secret            text,
    add column previous_secret_expires_at timestamptz,
    add column secret_rolled_at           timestamptz,
    add constraint webhook_endpoints_previous_secret_check
        check ((previous_secret is null) = (previous_secret_expires_at is null));
