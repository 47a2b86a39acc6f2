-- Issue 13, defect 5: an API token lasts a set time. Tokens issued before this run on for 90 days from today, so
-- no system that uses one stops without warning.
alter table api_token add column expires_at timestamptz;
update api_token set expires_at = greatest(created_at, now()) + interval '90 days';
alter table api_token alter column expires_at set not null;

-- Issue 13, defect 7: a creating request sent again with the same Idempotency-Key gets the first answer instead of
-- a second record. The key row is written in the same transaction as what the request creates, so a request that
-- rolled back leaves no key behind, and one that committed can never run twice.
create table idempotency_key (
  user_id uuid not null references app_user (id),
  key text not null,
  operation text not null,
  request_hash text not null,
  created_at timestamptz not null,
  response_status integer,
  response_body jsonb,
  response_location text,
  primary key (user_id, key)
);
create index idempotency_key_created_idx on idempotency_key (created_at);
