-- Provider registry schema. One global revision orders every change; the outbox holds the provider-changed
-- events of committed changes until the relay has them acknowledged by Kafka.

create table registry_state (
    id       smallint primary key check (id = 1),
    revision bigint   not null
);
insert into registry_state (id, revision) values (1, 0);

-- The normalized provider config document (secrets as written: environment references or literals).
create table provider (
    name       varchar(63)  primary key,
    type       varchar(32)  not null,
    enabled    boolean      not null,
    document   text         not null,
    revision   bigint       not null,
    created_at timestamptz  not null,
    updated_at timestamptz  not null
);

-- Gateway API keys of clients: only the SHA-256 of a key is stored.
create table api_key (
    id         varchar(36)  primary key,
    name       varchar(100) not null,
    key_hash   char(64)     not null unique,
    key_prefix varchar(8)   not null,
    created_at timestamptz  not null,
    revoked_at timestamptz
);
create index api_key_active on api_key (created_at) where revoked_at is null;

-- One row per change, keyed by the registry revision it produced, published in revision order.
create table outbox (
    revision    bigint       primary key,
    topic       varchar(249) not null,
    message_key varchar(255) not null,
    payload     text         not null,
    created_at  timestamptz  not null
);
