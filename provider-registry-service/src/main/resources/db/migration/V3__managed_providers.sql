-- Managed (built-in) providers the registry seeded from its catalogue (managed/managed-providers.json or
-- GATEWAY_MANAGED_PROVIDERS_FILE), one row per name, kept when the provider is deleted: a managed provider the
-- operator removed is not created again at the next start. document_hash is the SHA-256 of the document as seeded:
-- a newer catalogue (another as_of) replaces only a provider whose stored document still has that hash (not edited
-- since). A name that was already taken by the operator's own provider when the catalogue first named it is recorded
-- with a null hash and provider_created_at: never managed, never replaced. provider_created_at is the created_at of
-- the provider row seeded, so that a provider of the same name created by hand later is not shown as managed.
create table managed_seed (
    name                varchar(63)  primary key,
    seeded_at           timestamptz  not null,
    catalogue_as_of     date         not null,
    document_hash       char(64),
    provider_created_at timestamptz
);
