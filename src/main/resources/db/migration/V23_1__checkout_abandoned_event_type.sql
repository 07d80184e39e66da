-- checkout (issue 13): the outbound event checkout.abandoned joins the event types the outbox
-- accepts (V8's list, unchanged, plus it). A later migration that redefines this check must keep it.
alter table outbox_events drop constraint outbox_events_type_check;
alter table outbox_events add constraint outbox_events_type_check check (type in (
    'order.paid', 'order.partially_paid', 'order.payment_failed', 'order.refunded', 'order.partially_refunded',
    'order.cancelled', 'order.expired', 'order.fulfilled', 'payment.authorized', 'payment.captured',
    'payment.needs_review', 'refund.succeeded', 'refund.failed',
    'checkout.abandoned'));
