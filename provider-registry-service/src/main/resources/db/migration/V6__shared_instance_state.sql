-- Several registry instances share one database: what must hold whichever instance a request lands on lives here,
-- not in one instance's memory.

-- Dashboard sessions a logout ended, until their cookie would have expired anyway (the cookie itself is signed and
-- stateless; its 16 random bytes are the id). Every dashboard request looks its id up here.
create table dashboard_logout (
    session_id varchar(64)  primary key,
    expires_at timestamptz  not null
);
create index dashboard_logout_expiry on dashboard_logout (expires_at);

-- The dashboard login throttle: failed logins per client address in the window that began with its first failure.
create table dashboard_login_failure (
    client       varchar(255) primary key,
    window_start timestamptz  not null,
    failures     integer      not null
);
create index dashboard_login_failure_window on dashboard_login_failure (window_start);

-- Rounds of scheduled jobs that one instance runs for all (model discovery): the instance that moves started_at on
-- runs the round, the others skip it.
create table scheduled_round (
    job        varchar(64)  primary key,
    started_at timestamptz  not null
);

-- The dashboard playground's gateway key, one for all instances: its id and its clear text sealed under the secrets
-- key (GATEWAY_SECRETS_KEY), so that every instance sends with it and none revokes another's.
create table playground_key (
    id         smallint     primary key check (id = 1),
    api_key_id varchar(36)  not null,
    sealed     text         not null,
    created_at timestamptz  not null
);
