-- Serious and organised crime: OCGM groups and members, imports and their reconciliation, SOC nominals with their
-- nominations, cohort meetings and decisions, reviews, case plans, trigger points, disruptions, dip samples, visits.

create table soc_group (
  id uuid primary key default gen_random_uuid(),
  ref text not null unique,
  name text not null,
  significance text,
  active boolean not null default true,
  updated_at timestamptz not null
);

create table soc_ocgm_import (
  id uuid primary key default gen_random_uuid(),
  file_name text not null,
  imported_at timestamptz not null,
  imported_by text not null,
  rows integer not null,
  matched integer not null,
  unmatched integer not null,
  rejected integer not null,
  flags_added integer not null,
  flags_closed integer not null,
  report jsonb not null
);

-- The current mapping: one row per member line of the latest import (replaced at each import).
create table soc_group_member (
  id bigint generated always as identity primary key,
  group_id uuid not null references soc_group (id),
  nominal_id uuid references people_nominal (id),
  prison_number text,
  pnc_number text,
  name text,
  date_of_birth date,
  role text,
  import_id uuid not null references soc_ocgm_import (id),
  line integer not null,
  resolved_by text
);
create index soc_group_member_nominal_idx on soc_group_member (nominal_id);
create index soc_group_member_group_idx on soc_group_member (group_id);

create table soc_nominal (
  id uuid primary key default gen_random_uuid(),
  nominal_id uuid not null unique references people_nominal (id),
  nominated_by_type text not null check (nominated_by_type in ('prison', 'probation', 'law-enforcement')),
  nominated_by text not null,
  nominator_name text not null,
  rationale text not null,
  nominated_at timestamptz not null,
  criteria text[] not null default '{}',
  band text check (band in ('1', '2')),
  status text not null check (status in ('nominated', 'selected', 'not-selected', 'de-selected')),
  selected_on date,
  last_review date,
  release_date_known_on date,
  released_on date,
  adopted_in_community_on date,
  community_plan_agreed_on date,
  community_notified_on date
);

create sequence soc_meeting_seq;

create table soc_meeting (
  id uuid primary key default gen_random_uuid(),
  ref text not null unique,
  kind text not null check (kind in ('cohort-selection', 'case-management', 'band-2-review')),
  socu_region text not null,
  establishment_code text references establishment (code),
  held_on date not null,
  attendees text[] not null,
  notes text,
  created_by text not null,
  created_at timestamptz not null
);

create table soc_decision (
  id bigint generated always as identity primary key,
  meeting_id uuid not null references soc_meeting (id),
  soc_nominal_id uuid not null references soc_nominal (id),
  decision text not null check (decision in ('band-1', 'band-2', 'not-selected', 'de-selected')),
  reason text,
  decided_by text not null,
  decided_at timestamptz not null
);
create index soc_decision_nominal_idx on soc_decision (soc_nominal_id, id);

create table soc_review (
  id bigint generated always as identity primary key,
  soc_nominal_id uuid not null references soc_nominal (id),
  reviewed_on date not null,
  kind text not null check (kind in ('band-1-quarterly', 'band-2-monthly', 'post-release')),
  outcome text not null check (outcome in ('remain', 'change-band', 'de-select')),
  notes text,
  meeting_id uuid references soc_meeting (id),
  reviewed_by text not null,
  recorded_at timestamptz not null
);

create table soc_plan_action (
  id bigint generated always as identity primary key,
  soc_nominal_id uuid not null references soc_nominal (id),
  description text not null,
  owner text not null,
  due_date date not null,
  tactic text not null,
  status text not null check (status in ('open', 'done', 'cancelled')),
  created_by text not null,
  created_at timestamptz not null,
  updated_by text,
  updated_at timestamptz
);

create table soc_trigger (
  id bigint generated always as identity primary key,
  soc_nominal_id uuid not null references soc_nominal (id),
  establishment_code text not null,
  code text not null,
  occurred_on date not null,
  details text not null,
  recorded_by text not null,
  recorded_at timestamptz not null,
  seen_by_socu_at timestamptz,
  seen_by text
);
create index soc_trigger_unseen_idx on soc_trigger (establishment_code) where seen_by_socu_at is null;

create table soc_disruption (
  id uuid primary key default gen_random_uuid(),
  soc_nominal_id uuid references soc_nominal (id),
  group_id uuid references soc_group (id),
  establishment_code text,
  occurred_on date not null,
  what text not null,
  impact text not null check (impact in ('major', 'moderate', 'minor')),
  recorded_by text not null,
  recorded_at timestamptz not null,
  moderation text not null default 'pending' check (moderation in ('pending', 'confirmed', 'downgraded', 'not-a-disruption')),
  moderated_impact text check (moderated_impact in ('major', 'moderate', 'minor')),
  moderation_notes text,
  moderated_by text,
  moderated_at timestamptz,
  check (soc_nominal_id is not null or group_id is not null)
);

create table soc_dip_sample (
  id uuid primary key default gen_random_uuid(),
  scope text not null,
  characteristic text not null,
  taken_on date not null,
  threshold numeric not null,
  rows jsonb not null,
  corrective_action text,
  taken_by text not null,
  taken_at timestamptz not null
);

create table soc_assurance_visit (
  id bigint generated always as identity primary key,
  establishment_code text not null references establishment (code),
  visited_on date not null,
  visited_by text not null,
  findings text not null,
  recorded_at timestamptz not null
);
