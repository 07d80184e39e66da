-- The sandbox speaks several providers' wire protocols (dialects). A payment belongs to the
-- dialect it was created through: its events are rendered, signed and delivered in that
-- dialect's shape, and dialect_data keeps what the dialect needs beyond the common fields
-- (a Stripe session, T-Bank's notification URL, YooKassa's description, ...), as JSON text.
alter table sbx_payments add column dialect text not null default 'sandbox';
alter table sbx_payments add column dialect_data text;
alter table sbx_events add column dialect text not null default 'sandbox';
create index sbx_payments_dialect_created on sbx_payments (dialect, created_at);
