-- The funnel report (issue 13): a journey is a checkout session, or an order paid through the API
-- without one. The report reads the journeys that started in a period: whether a journey has an
-- event before the period, and all its events, are looked up by this expression.
create index checkout_events_journey on checkout_events ((coalesce(session_id, 'order:' || order_id)), occurred_at);
