-- Issue 17: spend alerts. When the ledger's settlement raises a budget counter's spent to 50 %, 80 % or 100 % of its
-- limit, one row per (scope, window_start, threshold) is recorded in the settlement's transaction (the unique key
-- makes a retried batch or a redelivered event record nothing twice), then posted to BUDGET_ALERT_WEBHOOK_URL by the
-- delivery job (see the README's "Budget alerts").
create table budget_alert (
    -- the order of the API (newest first) and its cursor
    seq             bigint generated always as identity primary key,
    -- what a webhook receiver de-duplicates on: md5 of scope, window start and threshold, so the same crossing has
    -- the same id however often it is delivered
    id              uuid        not null unique,
    scope           text        not null,
    window_start    timestamptz not null,
    threshold       int         not null,
    -- the counter's spent and limit when the threshold was found crossed
    spent           numeric     not null,
    limit_usd       numeric     not null,
    crossed_at      timestamptz not null,
    delivered_at    timestamptz,
    attempts        int         not null default 0,
    -- when the delivery job may (next) post it: a claim pushes it past the request's timeout, a failure by backoff
    next_attempt_at timestamptz not null,
    last_error      text,
    unique (scope, window_start, threshold)
);
create index budget_alert_pending on budget_alert (next_attempt_at) where delivered_at is null;
create index budget_alert_scope on budget_alert (scope, seq);
