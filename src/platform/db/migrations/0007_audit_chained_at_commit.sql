-- The audit chain is extended at commit, not during the transaction (issue 7).
--
-- Until now a writer locked audit_chain_head with its first audit statement and held it until commit, through every
-- round trip to the application in between. Under load each of those waits behind the application's other work,
-- so every audited change and every audited read queued behind the slowest transaction holding the head.
--
-- Now the application writes the event to audit_pending, which takes no lock. A constraint trigger deferred to
-- commit then locks the head, hashes the event onto the chain, appends it to audit_event and moves the head, all
-- inside PostgreSQL: the head is held for the commit alone. Events still join the chain in commit order, so ids are
-- in chain order and verification is unchanged. A transaction that rolls back never reaches its trigger.
--
-- The hash is the one auditHash() computes: SHA-256 of the event's canonical JSON. The application sends that JSON
-- in two parts, before and after the previous hash, because only the trigger knows the previous hash.

create unlogged table audit_pending (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null,
  actor_user_id uuid,
  actor_username text not null,
  action text not null,
  subject_type text,
  subject_id text,
  establishment_code text,
  correlation_id text,
  compartment text,
  details jsonb not null,
  hash_before text not null,
  hash_after text not null
);

create function audit_pending_chain() returns trigger language plpgsql as $$
declare
  previous text;
  next_hash text;
  appended bigint;
begin
  select last_hash into previous from audit_chain_head where id = 1 for update;
  next_hash := encode(sha256(convert_to(new.hash_before || to_json(previous)::text || new.hash_after, 'UTF8')), 'hex');
  insert into audit_event (occurred_at, actor_user_id, actor_username, action, subject_type, subject_id,
    establishment_code, correlation_id, compartment, details, prev_hash, hash)
  values (new.occurred_at, new.actor_user_id, new.actor_username, new.action, new.subject_type, new.subject_id,
    new.establishment_code, new.correlation_id, new.compartment, new.details, previous, next_hash)
  returning id into appended;
  update audit_chain_head set last_id = appended, last_hash = next_hash where id = 1;
  delete from audit_pending where id = new.id;
  return null;
end;
$$;

create constraint trigger audit_pending_chain after insert on audit_pending
  deferrable initially deferred for each row execute function audit_pending_chain();
