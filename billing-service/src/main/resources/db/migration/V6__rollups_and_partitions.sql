-- Issue 18: billing's reads scale with the data. Time series, summaries and percentiles come from rollups kept at
-- ingest (per minute and per hour, with mergeable latency histograms); the raw records are partitioned by month and
-- read only for record listing and export. See the README's "Rollups and partitions".

-- Latency histograms: fixed log-spaced buckets, 8 per power of two. A value v (ms) below 8 has bucket v (exact);
-- above, with e = floor(log2 v), bucket 8 + (e - 3) * 8 + (v >> (e - 3)) - 8: a bucket spans 1/8 to 1/16 of its
-- lower bound (values below 16 exactly). A histogram is an int[] whose subscripts are bucket numbers (PostgreSQL
-- arrays keep their lower bound), holding only the range from its lowest to its highest used bucket; a subscript
-- outside it reads null (0). LatencyHistogram.java computes the same buckets.
create function latency_bucket(v bigint) returns int language sql immutable parallel safe as $$
    select case when v < 8 then cast(greatest(v, 0) as int)
                else 8 + (63 - position('1' in cast(cast(v as bit(64)) as text)) - 2) * 8
                       + cast((v >> (63 - position('1' in cast(cast(v as bit(64)) as text)) - 2)) - 8 as int) end
$$;

-- a + b bucket by bucket; null is the empty histogram
create function histogram_add(a int[], b int[]) returns int[] language plpgsql immutable parallel safe as $$
declare
    r int[] := a;
begin
    if a is null then
        return b;
    end if;
    if b is null then
        return a;
    end if;
    for i in array_lower(b, 1)..array_upper(b, 1) loop
        r[i] := coalesce(r[i], 0) + coalesce(b[i], 0);
    end loop;
    return r;
end
$$;

-- sum(histogram) over rows
create aggregate histogram_sum(int[]) (sfunc = histogram_add, stype = int[], combinefunc = histogram_add,
    parallel = safe);

-- the histogram of values (null values are not counted), for the backfill below
create function histogram_count(h int[], v bigint) returns int[] language plpgsql immutable parallel safe as $$
declare
    i int;
begin
    if v is null then
        return h;
    end if;
    i := latency_bucket(v);
    h[i] := coalesce(h[i], 0) + 1;
    return h;
end
$$;
create aggregate histogram_of(bigint) (sfunc = histogram_count, stype = int[], combinefunc = histogram_add,
    parallel = safe);

-- The hourly rollup gains the histograms of the latency and of the time to first token of streamed requests. Hours
-- whose raw records retention already deleted keep none (their percentiles are null).
alter table usage_hourly add column latency_hist int[], add column ttft_hist int[];

-- Per UTC minute, the same dimensions and totals as usage_hourly: the minute buckets of time series filtered by key
-- or team, and the whole minutes of a summary bound between two hours.
create table usage_minute (like usage_hourly including defaults);
alter table usage_minute rename column hour to minute;
alter table usage_minute add primary key (minute, provider, served_model, api_key_id, team);

-- Time series, summaries and reconciliation without a key or team (as a filter or a group) read these: per hour /
-- minute, provider and served model only, the same totals (many keys share a model, so these hold a fraction of the
-- rows).
create table usage_series_hourly (like usage_hourly including defaults);
alter table usage_series_hourly drop column api_key_id, drop column team;
alter table usage_series_hourly add primary key (hour, provider, served_model);
create table usage_series_minute (like usage_series_hourly including defaults);
alter table usage_series_minute rename column hour to minute;
alter table usage_series_minute add primary key (minute, provider, served_model);

-- The raw records, partitioned by month of occurred_at. A unique key of a partitioned table must hold the partition
-- key, so the ledger's key becomes (occurred_at, event_id): occurred_at is part of the event (set by the router when
-- the request finished), so a redelivered or replayed event, the same message, still meets its stored row, and the
-- key doubles as the time index (range scans, the records' keyset cursor). Rows outside every monthly partition go
-- to the default one; PartitionJob creates the months ahead.
alter table usage_record rename to usage_record_unpartitioned;
alter table usage_record_unpartitioned rename constraint usage_record_pkey to usage_record_unpartitioned_pkey;
alter index usage_record_time rename to usage_record_unpartitioned_time;
alter index usage_record_request rename to usage_record_unpartitioned_request;
create table usage_record (like usage_record_unpartitioned including defaults) partition by range (occurred_at);
alter table usage_record add constraint usage_record_pkey primary key (occurred_at, event_id);
create index usage_record_request on usage_record (request_id, occurred_at, event_id);
create table usage_record_default partition of usage_record default;

-- Makes the monthly partitions of [from, to) that are missing (usage_record_YYYYMM), moving rows the default
-- partition holds for such a month into it. Serialised by an advisory lock: several billing instances may run it.
create function usage_record_ensure_partitions(from_time timestamptz, to_time timestamptz) returns int
    language plpgsql as $$
declare
    month timestamptz := date_trunc('month', from_time, 'UTC');
    name  text;
    made  int := 0;
begin
    perform pg_advisory_xact_lock(hashtext('usage_record_ensure_partitions'));
    while month < to_time loop
        name := 'usage_record_' || to_char(month at time zone 'UTC', 'YYYYMM');
        if to_regclass(name) is null then
            execute format('create table %I (like usage_record including defaults)', name);
            execute format('insert into %I select * from usage_record_default where occurred_at >= %L and '
                    || 'occurred_at < %L', name, month, month + interval '1 month');
            execute format('delete from usage_record_default where occurred_at >= %L and occurred_at < %L', month,
                    month + interval '1 month');
            execute format('alter table usage_record attach partition %I for values from (%L) to (%L)', name, month,
                    month + interval '1 month');
            made := made + 1;
        end if;
        month := month + interval '1 month';
    end loop;
    return made;
end
$$;

select usage_record_ensure_partitions(
        least(coalesce((select min(occurred_at) from usage_record_unpartitioned), now()), now()),
        greatest(coalesce((select max(occurred_at) from usage_record_unpartitioned), now()), now())
            + interval '3 months');
insert into usage_record select * from usage_record_unpartitioned;
drop table usage_record_unpartitioned;

-- The minute rollup rows of the raw records that occurred in [from_time, to_time), as the ingest adds them up (in
-- usage_minute's column order): the backfill below and bench/reads.sh's loader use it.
create function usage_minute_of_raw(from_time timestamptz, to_time timestamptz) returns setof usage_minute
    language sql stable as $$
    select date_trunc('minute', occurred_at, 'UTC'), coalesce(provider, ''), coalesce(served_model, ''),
           coalesce(api_key_id, ''), count(*), count(*) filter (where status = 'error'), sum(prompt_tokens),
           sum(completion_tokens), sum(cached_tokens), coalesce(sum(input_cost), 0), coalesce(sum(output_cost), 0),
           coalesce(sum(total_cost), 0), coalesce(sum(reported_cost), 0), count(total_cost), count(reported_cost),
           coalesce(sum(total_cost) filter (where reported_cost is not null), 0),
           count(*) filter (where total_cost is null and served_model is not null),
           coalesce(sum(prompt_tokens + completion_tokens)
               filter (where total_cost is null and served_model is not null), 0),
           coalesce(team, ''), histogram_of(latency_ms), histogram_of(time_to_first_token_ms) filter (where stream)
    from usage_record where occurred_at >= from_time and occurred_at < to_time
    group by date_trunc('minute', occurred_at, 'UTC'), coalesce(provider, ''), coalesce(served_model, ''),
             coalesce(api_key_id, ''), coalesce(team, '')
$$;

-- Backfill from the raw records kept: the histograms of the hourly rollup (its totals are there already), and every
-- row of the new rollups.
update usage_hourly h set latency_hist = r.latency_hist, ttft_hist = r.ttft_hist
from (select date_trunc('hour', occurred_at, 'UTC') as hour, coalesce(provider, '') as provider,
             coalesce(served_model, '') as served_model, coalesce(api_key_id, '') as api_key_id,
             coalesce(team, '') as team, histogram_of(latency_ms) as latency_hist,
             histogram_of(time_to_first_token_ms) filter (where stream) as ttft_hist
      from usage_record group by 1, 2, 3, 4, 5) r
where h.hour = r.hour and h.provider = r.provider and h.served_model = r.served_model
  and h.api_key_id = r.api_key_id and h.team = r.team;

insert into usage_minute select * from usage_minute_of_raw('-infinity', 'infinity');

-- the series rollups from the full ones (the hourly one from the minutes when its raw records are gone)
insert into usage_series_minute
select minute, provider, served_model, sum(requests), sum(errors), sum(prompt_tokens), sum(completion_tokens),
       sum(cached_tokens), sum(input_cost), sum(output_cost), sum(total_cost), sum(reported_cost),
       sum(priced_requests), sum(reported_requests), sum(reported_configured_cost), sum(unpriced_requests),
       sum(unpriced_tokens), histogram_sum(latency_hist), histogram_sum(ttft_hist)
from usage_minute group by 1, 2, 3;
insert into usage_series_hourly
select hour, provider, served_model, sum(requests), sum(errors), sum(prompt_tokens), sum(completion_tokens),
       sum(cached_tokens), sum(input_cost), sum(output_cost), sum(total_cost), sum(reported_cost),
       sum(priced_requests), sum(reported_requests), sum(reported_configured_cost), sum(unpriced_requests),
       sum(unpriced_tokens), histogram_sum(latency_hist), histogram_sum(ttft_hist)
from usage_hourly group by 1, 2, 3;

-- Drops the monthly partitions that end at or before before_time (the raw-record retention's cutoff), whole: the
-- retention job then deletes row by row only within the partially expired month. Returns how many rows they held.
create function usage_record_drop_partitions(before_time timestamptz) returns bigint language plpgsql as $$
declare
    part  record;
    rows  bigint;
    made  bigint := 0;
begin
    perform pg_advisory_xact_lock(hashtext('usage_record_ensure_partitions'));
    for part in select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                where i.inhparent = 'usage_record'::regclass and c.relname ~ '^usage_record_[0-9]{6}$' loop
        if to_timestamp(substr(part.relname, 14), 'YYYYMM') at time zone 'UTC' + interval '1 month'
                <= before_time at time zone 'UTC' then
            execute format('select count(*) from %I', part.relname) into rows;
            execute format('drop table %I', part.relname);
            made := made + rows;
        end if;
    end loop;
    return made;
end
$$;
