-- bench/reads.sh's loader: BENCH_DAYS days of usage at BENCH_RATE requests/s up to now, as billing's ingest would
-- have left them, written straight into PostgreSQL (run by BillingReads.java load, statement by statement; ${...}
-- are its parameters). The raw records of the last BENCH_RAW_HOURS hours are generated row by row and rolled up by the
-- migration's own SQL; the minutes before them, whose raw records would cost ~700 bytes each (30 days at 100/s:
-- 259 M rows, ~180 GB), exist only as minute rollup rows of the same shape (every provider/model/key combination
-- active every minute, histograms spread over 10 buckets). The hourly and series rollups are then summed from the
-- minute rollup as the ingest adds to them.
set synchronous_commit = off;
set work_mem = '256MB';
set maintenance_work_mem = '512MB';

create temporary table bench_model (m int, provider text, model text, input numeric, output numeric, reports boolean,
    latency_bucket int);
insert into bench_model values
    (0, 'openai', 'gpt-4o', 0.0025, 0.01, true, 60),
    (1, 'openai', 'gpt-4o-mini', 0.00015, 0.0006, true, 52),
    (2, 'anthropic', 'claude-3-5-sonnet', 0.003, 0.015, true, 64),
    (3, 'vllm-cluster', 'llama-3-70b', 0.0001, 0.0002, false, 56),
    (4, 'tgi', 'mistral-7b', null, null, false, 48),
    (5, 'together', 'mixtral-8x7b', 0.0006, 0.0006, true, 58);
create temporary table bench_combo as
    select m.*, k, 'bench-key-' || lpad(k::text, 3, '0') as api_key_id,
           case when k % 5 = 4 then '' else 'team-' || (k % 8) end as team
    from bench_model m cross join generate_series(0, ${keys} - 1) k;

-- the window: whole minutes up to the current one; raw records for the last raw_hours of it
create temporary table bench_window as
    select date_trunc('minute', now()) - interval '${days} days' as start,
           date_trunc('minute', now()) - interval '${raw_hours} hours' as raw_start,
           date_trunc('minute', now()) + interval '1 minute' as stop;

select usage_record_ensure_partitions((select start from bench_window), (select stop from bench_window));

-- (1) synthetic minute rollup rows before the raw window: per minute and combination about rate * 60 / combinations
-- requests (uniformly spread), latency and time-to-first-token histograms of a fixed shape around the model's bucket
insert into usage_minute (minute, provider, served_model, api_key_id, team, requests, errors, prompt_tokens,
    completion_tokens, cached_tokens, input_cost, output_cost, total_cost, reported_cost, priced_requests,
    reported_requests, reported_configured_cost, unpriced_requests, unpriced_tokens, latency_hist, ttft_hist)
select minute, provider, model, api_key_id, team, n, n / 25, n * 600, n * 150, n * 40,
       coalesce(n * 600 * input / 1000, 0), coalesce(n * 150 * output / 1000, 0),
       coalesce(n * 600 * input / 1000 + n * 150 * output / 1000, 0),
       case when reports then (n * 2 / 3) * (600 * input / 1000 + 150 * output / 1000) * 1.01 else 0 end,
       case when input is null then 0 else n end, case when reports then n * 2 / 3 else 0 end,
       case when reports then (n * 2 / 3) * (600 * input / 1000 + 150 * output / 1000) else 0 end,
       case when input is null then n else 0 end, case when input is null then n * 750 else 0 end,
       cast('[' || latency_bucket || ':' || latency_bucket + 9 || ']=' || cast(h as text) as int[]),
       cast('[' || latency_bucket - 16 || ':' || latency_bucket - 7 || ']=' || cast(t as text) as int[])
from (select minute, c.*, h, t, (select sum(v) from unnest(h) v)::int as n
      from generate_series((select start from bench_window), (select raw_start from bench_window) - interval '1 minute',
                           interval '1 minute') minute
      cross join bench_combo c
      cross join lateral (select (${rate} * 60.0 / (select count(*) from bench_combo)) * (0.7 + random() * 0.6) as mean) r
      cross join lateral (select array[round(mean * 0.04), round(mean * 0.09), round(mean * 0.16), round(mean * 0.2),
                                       round(mean * 0.17), round(mean * 0.13), round(mean * 0.09), round(mean * 0.06),
                                       round(mean * 0.04), round(mean * 0.02)]::int[] as h,
                                 array[round(mean * 0.3 * 0.1), round(mean * 0.3 * 0.2), round(mean * 0.3 * 0.3),
                                       round(mean * 0.3 * 0.2), round(mean * 0.3 * 0.1), 0, 0, 0, 0,
                                       round(mean * 0.3 * 0.1)]::int[] as t) hist) x
where n > 0;

-- (2) raw records of the last raw_hours: one every 1/rate s, as the router would have published them
insert into usage_record (event_id, request_id, occurred_at, api_key_id, requested_model, served_model, provider,
    endpoint, strategy, operation, upstream_model, status, http_status, error_type, error_code, stream, attempts,
    prompt_tokens, completion_tokens, cached_tokens, tokens_estimated, input_cost, output_cost, total_cost,
    reported_cost, latency_ms, time_to_first_token_ms, attempt_log, schema_version, team, budget_leases)
select cast(md5('bench' || i) as uuid)::text, 'req-' || i, w.raw_start + i * interval '1 second' / ${rate},
       c.api_key_id, c.model, c.model, c.provider, c.provider || '-1', 'priority', 'chat', c.model,
       case when i % 25 = 0 then 'error' else 'success' end, case when i % 25 = 0 then 502 else 200 end,
       case when i % 25 = 0 then 'upstream_error' end, null, i % 10 < 3, 1, p, q, p / 15, false,
       p * c.input / 1000, q * c.output / 1000, p * c.input / 1000 + q * c.output / 1000,
       case when c.reports and i % 3 <> 0 then (p * c.input / 1000 + q * c.output / 1000) * 1.01 end,
       lat, case when i % 10 < 3 then lat / 4 end, '[]', 1, nullif(c.team, ''), '{}'
from bench_window w
cross join generate_series(0, cast(extract(epoch from w.stop - w.raw_start) * ${rate} as bigint) - 1) i
join bench_combo c on c.m = i % 6 and c.k = (i / 6) % ${keys}
cross join lateral (select 100 + (i * 7919) % 1500 as p, 20 + (i * 104729) % 600 as q,
                           cast(power(2, c.latency_bucket / 8.0 + 2) * (0.5 + ((i * 31) % 100) / 50.0) as bigint)
                               as lat) v
where w.raw_start + i * interval '1 second' / ${rate} < now();

-- (3) the raw records' minute rollup, by the V6 backfill's function
insert into usage_minute select * from usage_minute_of_raw((select raw_start from bench_window), 'infinity');

-- (4) hourly and series rollups summed from the minutes
insert into usage_hourly (hour, provider, served_model, api_key_id, team, requests, errors, prompt_tokens,
    completion_tokens, cached_tokens, input_cost, output_cost, total_cost, reported_cost, priced_requests,
    reported_requests, reported_configured_cost, unpriced_requests, unpriced_tokens, latency_hist, ttft_hist)
select date_trunc('hour', minute, 'UTC'), provider, served_model, api_key_id, team, sum(requests), sum(errors),
       sum(prompt_tokens), sum(completion_tokens), sum(cached_tokens), sum(input_cost), sum(output_cost),
       sum(total_cost), sum(reported_cost), sum(priced_requests), sum(reported_requests),
       sum(reported_configured_cost), sum(unpriced_requests), sum(unpriced_tokens), histogram_sum(latency_hist),
       histogram_sum(ttft_hist)
from usage_minute where minute >= (select start from bench_window) group by 1, 2, 3, 4, 5;
insert into usage_series_minute
select minute, provider, served_model, sum(requests), sum(errors), sum(prompt_tokens), sum(completion_tokens),
       sum(cached_tokens), sum(input_cost), sum(output_cost), sum(total_cost), sum(reported_cost),
       sum(priced_requests), sum(reported_requests), sum(reported_configured_cost), sum(unpriced_requests),
       sum(unpriced_tokens), histogram_sum(latency_hist), histogram_sum(ttft_hist)
from usage_minute where minute >= (select start from bench_window) group by 1, 2, 3;
insert into usage_series_hourly
select hour, provider, served_model, sum(requests), sum(errors), sum(prompt_tokens), sum(completion_tokens),
       sum(cached_tokens), sum(input_cost), sum(output_cost), sum(total_cost), sum(reported_cost),
       sum(priced_requests), sum(reported_requests), sum(reported_configured_cost), sum(unpriced_requests),
       sum(unpriced_tokens), histogram_sum(latency_hist), histogram_sum(ttft_hist)
from usage_hourly where hour >= (select start from bench_window) group by 1, 2, 3;

analyze;
