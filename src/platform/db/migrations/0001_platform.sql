-- Platform: establishments (reference data), users, sessions, sign-in attempts, API tokens, audit.

create extension if not exists pg_trgm;

create table establishment (
  code text primary key check (code ~ '^[A-Z]{3}$'),
  name text not null,
  prison_group text,
  socu_region text check (socu_region in (
    'North West / West Midlands',
    'North East / Yorks and Humber',
    'East Midlands / Eastern',
    'South West / Wales',
    'London / South East'
  )),
  high_security boolean not null default false,
  gender text check (gender in ('male', 'female', 'mixed')),
  functions text[] not null default '{}',
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index establishment_prison_group_idx on establishment (prison_group);
create index establishment_socu_region_idx on establishment (socu_region);

create table app_user (
  id uuid primary key default gen_random_uuid(),
  username text not null unique check (username = lower(username) and username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  display_name text not null,
  email text,
  department text,
  establishment_code text not null references establishment (code),
  roles text[] not null check (cardinality(roles) > 0),
  scope text not null check (scope in ('establishment', 'group', 'region', 'national')),
  compartments text[] not null default '{}',
  -- Null for people who sign in only through single sign-on.
  password_hash text,
  -- The OIDC seam: an identity provider's issuer and subject map to one user.
  external_issuer text,
  external_subject text,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (external_issuer, external_subject)
);
create index app_user_establishment_idx on app_user (establishment_code);

create table user_session (
  -- SHA-256 of the token in the cookie: a copy of this table cannot be replayed.
  id text primary key,
  user_id uuid not null references app_user (id),
  auth_method text not null check (auth_method in ('password', 'oidc')),
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  ended_at timestamptz,
  end_reason text check (end_reason in ('signed-out', 'idle', 'deactivated', 'replaced')),
  ip text,
  user_agent text
);
create index user_session_user_idx on user_session (user_id) where ended_at is null;

create table sign_in_attempt (
  id bigint generated always as identity primary key,
  username text not null,
  ip text not null,
  succeeded boolean not null,
  at timestamptz not null
);
create index sign_in_attempt_username_idx on sign_in_attempt (username, at desc);
create index sign_in_attempt_ip_idx on sign_in_attempt (ip, at desc);

create table api_token (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_user (id),
  name text not null,
  token_hash text not null unique,
  token_prefix text not null,
  created_at timestamptz not null,
  created_by uuid references app_user (id),
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid references app_user (id)
);
create index api_token_user_idx on api_token (user_id);

-- Append-only and hash-chained: each event stores the hash of the one before it.
create table audit_event (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null,
  actor_user_id uuid,
  actor_username text not null,
  action text not null,
  subject_type text,
  subject_id text,
  establishment_code text,
  correlation_id text,
  details jsonb not null default '{}',
  prev_hash text not null,
  hash text not null
);
create index audit_event_occurred_idx on audit_event (occurred_at desc);
create index audit_event_actor_idx on audit_event (actor_username, occurred_at desc);
create index audit_event_subject_idx on audit_event (subject_type, subject_id);
create index audit_event_action_idx on audit_event (action, occurred_at desc);

-- The head of the chain: serialises writers and lets verification notice a deleted tail.
create table audit_chain_head (
  id integer primary key check (id = 1),
  last_id bigint not null,
  last_hash text not null
);
insert into audit_chain_head (id, last_id, last_hash)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

create function audit_event_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_event is append-only';
end;
$$;
create trigger audit_event_no_update before update or delete on audit_event
  for each row execute function audit_event_is_append_only();
