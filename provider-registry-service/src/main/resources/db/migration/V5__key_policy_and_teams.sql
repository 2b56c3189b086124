-- Key governance (issue 17): teams, and the policy a client key carries (team, allowed models, expiry, budget,
-- rates, metadata) plus the secret a rotation replaced, accepted until its grace ends.
-- Budgets are exact USD decimals (at most 10 fractional digits); a budget and its period are set together.

create table team (
    name                varchar(63)    primary key,
    max_budget_usd      numeric(20, 10) check (max_budget_usd > 0),
    budget_period       varchar(8)     check (budget_period in ('day', 'week', 'month', 'total')),
    requests_per_minute integer        check (requests_per_minute > 0),
    tokens_per_minute   integer        check (tokens_per_minute > 0),
    -- a JSON object of string values, or null
    metadata            jsonb,
    created_at          timestamptz    not null,
    updated_at          timestamptz    not null,
    check ((max_budget_usd is null) = (budget_period is null))
);

alter table api_key
    -- the service refuses to delete a team while active keys name it; revoked keys just lose it
    add column team                 varchar(63)    references team (name) on delete set null,
    -- a JSON array of model ids, or null: every model
    add column models               jsonb,
    add column expires_at           timestamptz,
    add column max_budget_usd       numeric(20, 10) check (max_budget_usd > 0),
    add column budget_period        varchar(8)     check (budget_period in ('day', 'week', 'month', 'total')),
    add column requests_per_minute  integer        check (requests_per_minute > 0),
    add column tokens_per_minute    integer        check (tokens_per_minute > 0),
    add column metadata             jsonb,
    -- after a rotation: the SHA-256 of the replaced key, accepted until previous_valid_until
    add column previous_key_hash    char(64),
    add column previous_valid_until timestamptz,
    add constraint api_key_budget_with_period check ((max_budget_usd is null) = (budget_period is null)),
    add constraint api_key_previous_with_end check ((previous_key_hash is null) = (previous_valid_until is null));

create index api_key_team on api_key (team) where revoked_at is null;
