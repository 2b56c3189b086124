-- Billing schema: the usage ledger (one row per request) and its hourly rollup.

-- One row per finished request, keyed by its request id (= the event id of usage-recorded): an event delivered
-- again, or twice in one batch, is not stored (nor counted) a second time. Raw rows older than
-- billing.retention.raw-records are deleted; the rollup keeps their totals.
create table usage_record (
    request_id             text        primary key,
    occurred_at            timestamptz not null,
    api_key_id             text,
    requested_model        text,
    served_model           text,
    provider               text,
    endpoint               text,
    strategy               text,
    operation              text,
    upstream_model         text,
    status                 text        not null,
    http_status            integer     not null,
    error_type             text,
    error_code             text,
    stream                 boolean     not null,
    attempts               integer     not null,
    prompt_tokens          bigint      not null,
    completion_tokens      bigint      not null,
    cached_tokens          bigint      not null,
    tokens_estimated       boolean     not null,
    -- USD, exact; null when the model has no configured price / the upstream reported nothing
    input_cost             numeric,
    output_cost            numeric,
    total_cost             numeric,
    reported_cost          numeric,
    latency_ms             bigint      not null,
    time_to_first_token_ms bigint,
    attempt_log            json        not null,
    schema_version         integer     not null,
    stored_at              timestamptz not null default now()
);
-- newest first (records API, export; scanned backwards), time ranges, and the retention delete
create index usage_record_time on usage_record (occurred_at, request_id);

-- Totals per UTC hour, provider, served model and gateway API key, added to in the transaction that stores the raw
-- rows (only the rows really inserted). Summaries and reconciliation read only this table. A missing provider,
-- model or key is '' (so the primary key can hold it).
create table usage_hourly (
    hour                     timestamptz not null,
    provider                 text        not null,
    served_model             text        not null,
    api_key_id               text        not null,
    requests                 bigint      not null,
    errors                   bigint      not null,
    prompt_tokens            bigint      not null,
    completion_tokens        bigint      not null,
    cached_tokens            bigint      not null,
    input_cost               numeric     not null,
    output_cost              numeric     not null,
    total_cost               numeric     not null,
    reported_cost            numeric     not null,
    -- requests with a configured total cost / with a reported cost
    priced_requests          bigint      not null,
    reported_requests        bigint      not null,
    -- the configured total cost of the requests that have a reported cost: what reconciliation compares
    reported_configured_cost numeric     not null,
    primary key (hour, provider, served_model, api_key_id)
);
