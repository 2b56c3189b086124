-- Usage of models without configured prices (issue 15: models discovered from a provider's endpoints have none):
-- billed at 0 and counted apart, so summaries and the reconciliation show finance what is not priced. A request is
-- unpriced when it reached a model (served_model set) and has no configured cost (total_cost null).
alter table usage_hourly
    add column unpriced_requests bigint not null default 0,
    add column unpriced_tokens   bigint not null default 0;

-- hours stored before: the request count is exact (the rollup already counted priced requests); the tokens come
-- from the raw records still kept (an hour whose raw records retention already deleted keeps 0 unpriced tokens)
update usage_hourly set unpriced_requests = requests - priced_requests where served_model <> '';
update usage_hourly h set unpriced_tokens = r.tokens
from (select date_trunc('hour', occurred_at, 'UTC') as hour, coalesce(provider, '') as provider, served_model,
             coalesce(api_key_id, '') as api_key_id, sum(prompt_tokens + completion_tokens) as tokens
      from usage_record
      where total_cost is null and served_model is not null
      group by 1, 2, 3, 4) r
where h.hour = r.hour and h.provider = r.provider and h.served_model = r.served_model
  and h.api_key_id = r.api_key_id;
