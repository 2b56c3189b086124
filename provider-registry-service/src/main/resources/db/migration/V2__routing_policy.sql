-- Default routing policies: one row per policy key, so the admin API's single-entry PUT and DELETE touch one row
-- and each entry keeps the revision of its own last change. The key is a model id, or 'auto' for the policy of
-- "model": "auto" (model ids cannot be 'auto': the provider parser reserves it). Provider names inside a policy are
-- not foreign keys: deleting a provider that a policy names is allowed, and the router skips unknown names.
create table routing_policy (
    policy_key varchar(256) primary key,
    policy     text         not null,
    revision   bigint       not null,
    updated_at timestamptz  not null
);
