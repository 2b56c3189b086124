-- Models discovered from the endpoints of providers saved without `models` (issue 15): kept apart from the
-- operator's document, so an edit of the provider neither loses them nor turns them into configured models.
-- One row per provider, gone with it. `endpoints` holds, per endpoint (its id and the base URL that was asked),
-- the model ids its listing held at its last successful read; the provider's models are their union over the
-- endpoints it has now.
create table provider_discovery (
    provider      varchar(63)  primary key references provider (name) on delete cascade,
    endpoints     text         not null,
    -- pending (not tried yet), ok (every endpoint listed), partial (some did not), failed (none did)
    status        varchar(16)  not null,
    -- why endpoints could not be listed, one sentence each (no secret, no upstream body)
    error         text,
    -- when the last attempt finished / when a listing last succeeded
    attempted_at  timestamptz,
    discovered_at timestamptz
);
