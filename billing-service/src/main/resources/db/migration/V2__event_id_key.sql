-- The ledger is keyed by the event id, which the router generates for every request, instead of the request id,
-- which is the client's correlation id (its x-request-id): any number of requests may share one, and each of them is
-- billed. The request id stays as a plain, indexed column (records and export filter on it).

alter table usage_record add column event_id text;
-- rows stored before this version: the router used the request id as the event id, so their redeliveries (same
-- event id) are still recognised as duplicates
update usage_record set event_id = request_id;
alter table usage_record alter column event_id set not null;

alter table usage_record drop constraint usage_record_pkey;
alter table usage_record add constraint usage_record_pkey primary key (event_id);
-- still required (as the event contract says), no longer unique
alter table usage_record alter column request_id set not null;

-- newest first (records API, export; scanned backwards), time ranges, and the retention delete: the unique event id
-- breaks ties between requests that finished in the same microsecond
drop index usage_record_time;
create index usage_record_time on usage_record (occurred_at, event_id);
-- a client's correlation id, looked up by finance (records and export filter request_id), in the same order
create index usage_record_request on usage_record (request_id, occurred_at, event_id);
