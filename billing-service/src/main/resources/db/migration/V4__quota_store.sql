-- Issue 17: the quota store (budgets and rate limits exact across any number of routers) and the key's team in the
-- ledger. See the README's "Quota store" for the protocol.

-- The ledger keeps the key's team and the budget leases a request was admitted under (the router's usage event says
-- both): finance groups by team, and the leases are settled with the request's cost in the write transaction.
alter table usage_record
    add column team          text,
    add column budget_leases text[] not null default '{}';

-- The rollup gains the team as a dimension ('' for none, as the others). Rows stored before have none.
alter table usage_hourly add column team text not null default '';
alter table usage_hourly drop constraint usage_hourly_pkey;
alter table usage_hourly add constraint usage_hourly_pkey primary key (hour, provider, served_model, api_key_id, team);
-- a budget counter's opening spend: one key's or one team's rollup rows from its period's start
create index usage_hourly_key on usage_hourly (api_key_id, hour);
create index usage_hourly_team on usage_hourly (team, hour) where team <> '';

-- One budget (scope key:<id> or team:<name>) in one period (window_start, from BudgetPeriod.start). Every change to
-- it and to its leases happens under its row lock (select ... for update, counters locked in (scope, window_start)
-- order), keeping two sums exact:
--   committed = opening_spend + the sum of its leases' charges   (what a grant must keep within limit_usd)
--   spent     = opening_spend + the sum of its leases' settled   (what the ledger billed under them)
-- opening_spend: the ledger's spend of the scope in the period when the counter was made (its first ask), plus the
-- settled amounts of closed leases folded in when the cleanup deleted them (only leases whose charge is their settled
-- amount, so both sums stay exact).
create table budget_counter (
    scope         text        not null,
    window_start  timestamptz not null,
    limit_usd     numeric     not null,
    opening_spend numeric     not null,
    spent         numeric     not null,
    committed     numeric     not null,
    primary key (scope, window_start)
);

-- A slice of a budget lent to one router. amount: what was granted; settled: the cost the ledger has billed under it
-- so far; used: what the router said it used when it released it.
create table budget_lease (
    id           uuid        primary key,
    scope        text        not null,
    window_start timestamptz not null,
    router_id    text        not null,
    amount       numeric     not null,
    settled      numeric     not null default 0,
    used         numeric,
    granted_at   timestamptz not null,
    expires_at   timestamptz not null,
    released_at  timestamptz,
    reclaimed_at timestamptz
);
-- the open leases of a budget (how many routers share it) and those the reclaim job looks for
create index budget_lease_open on budget_lease (scope, window_start, router_id)
    where released_at is null and reclaimed_at is null;
create index budget_lease_expiry on budget_lease (expires_at) where released_at is null and reclaimed_at is null;
-- closed leases, which the cleanup folds into their counter once settled
create index budget_lease_closed on budget_lease ((coalesce(released_at, reclaimed_at)));

-- What a lease counts against its budget: a reclaimed one only what was billed under it; a released one what the
-- router used (or more, once billed); an open one its whole amount (or more, if billed beyond it).
create function lease_charge(amount numeric, settled numeric, used numeric, released boolean, reclaimed boolean)
    returns numeric language sql immutable as $$
    select case when reclaimed then settled
                when released then greatest(coalesce(used, 0), settled)
                else greatest(amount, settled) end
$$;

-- Requests or tokens granted in one UTC minute (window_start) to one scope (key:, team: or provider:), summed over
-- every router. Rows of past minutes are deleted by the reclaim job.
create table rate_window (
    scope        text        not null,
    kind         text        not null,
    window_start timestamptz not null,
    granted      numeric     not null,
    primary key (scope, kind, window_start)
);
create index rate_window_start on rate_window (window_start);
