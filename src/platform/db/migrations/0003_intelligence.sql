-- Intelligence: reports, status history, gradings, sanitised versions, nominal and entity links, the do-not-link
-- list, disseminations, and each establishment's grading scheme.

create table intelligence_setting (
  establishment_code text primary key references establishment (code),
  grading_scheme text not null default '3x5x2' check (grading_scheme in ('3x5x2', '5x5x5')),
  updated_at timestamptz not null,
  updated_by text not null
);

create sequence intelligence_report_seq;

create table intelligence_report (
  id uuid primary key default gen_random_uuid(),
  ref text not null unique,
  establishment_code text not null references establishment (code),
  -- Need-to-know: a staff-corruption report does not exist outside its compartment.
  compartment text check (compartment in ('staff-corruption', 'chis', 'counter-terrorism')),
  -- The original text's own restriction: a CHIS's words are read only inside the CHIS compartment.
  original_compartment text check (original_compartment in ('staff-corruption', 'chis', 'counter-terrorism')),
  reporter_id uuid not null references app_user (id),
  reporter_username text not null,
  submission_key text not null,
  submitted_at timestamptz not null,
  occurred_at timestamptz not null,
  location text,
  source_type text not null check (source_type in (
    'own-observation', 'told-by-prisoner', 'overheard', 'found-item', 'phone-monitoring', 'mail-monitoring',
    'other-agency', 'chis', 'other')),
  threat_areas text[] not null check (cardinality(threat_areas) > 0),
  urgent boolean not null default false,
  text text not null,
  named_people text[] not null default '{}',
  -- Current state, kept beside its history (status changes, gradings, sanitised versions) for queues and filters.
  status text not null check (status in (
    'submitted', 'in-assessment', 'graded', 'disseminated', 'no-further-action', 'linked-to-existing')),
  linked_to_ref text,
  sanitised_text text,
  grading_scheme text check (grading_scheme in ('3x5x2', '5x5x5')),
  grading_source text,
  grading_intelligence text,
  grading_handling text,
  grading_conditions text,
  text_search tsvector generated always as (to_tsvector('english', text)) stored,
  sanitised_search tsvector generated always as (to_tsvector('english', coalesce(sanitised_text, ''))) stored,
  unique (reporter_id, submission_key)
);
create index intelligence_report_establishment_idx on intelligence_report (establishment_code, submitted_at desc);
create index intelligence_report_queue_idx on intelligence_report (establishment_code, urgent desc, submitted_at)
  where status in ('submitted', 'in-assessment');
create index intelligence_report_reporter_idx on intelligence_report (reporter_id, submitted_at desc);
create index intelligence_report_text_search_idx on intelligence_report using gin (text_search);
create index intelligence_report_sanitised_search_idx on intelligence_report using gin (sanitised_search);
create index intelligence_report_threat_idx on intelligence_report using gin (threat_areas);

create table intelligence_status_change (
  id bigint generated always as identity primary key,
  report_id uuid not null references intelligence_report (id),
  from_status text,
  to_status text not null,
  note text,
  changed_by text not null,
  changed_at timestamptz not null
);
create index intelligence_status_change_report_idx on intelligence_status_change (report_id, id);

create table intelligence_grading (
  report_id uuid not null references intelligence_report (id),
  version integer not null,
  scheme text not null check (scheme in ('3x5x2', '5x5x5')),
  source text not null,
  intelligence text not null,
  handling text not null,
  conditions text,
  graded_by text not null,
  graded_at timestamptz not null,
  primary key (report_id, version)
);

create table intelligence_sanitised_version (
  report_id uuid not null references intelligence_report (id),
  version integer not null,
  text text not null,
  written_by text not null,
  written_at timestamptz not null,
  primary key (report_id, version)
);

create table intelligence_nominal_link (
  report_id uuid not null references intelligence_report (id),
  nominal_id uuid not null references people_nominal (id),
  role text not null check (role in ('subject', 'associate', 'mentioned')),
  establishment_code text not null,
  linked_by text not null,
  linked_at timestamptz not null,
  primary key (report_id, nominal_id)
);
create index intelligence_nominal_link_nominal_idx on intelligence_nominal_link (nominal_id);

create table intelligence_entity (
  id bigint generated always as identity primary key,
  type text not null check (type in ('phone', 'imei', 'vehicle', 'prison-number', 'pnc', 'email', 'cell')),
  value text not null,
  unique (type, value)
);

create table intelligence_report_entity (
  report_id uuid not null references intelligence_report (id),
  entity_id bigint not null references intelligence_entity (id),
  status text not null check (status in ('suggested', 'accepted', 'rejected', 'do-not-link')),
  establishment_code text not null,
  raw text,
  decided_by text,
  decided_at timestamptz,
  primary key (report_id, entity_id)
);
create index intelligence_report_entity_entity_idx on intelligence_report_entity (entity_id) where status = 'accepted';

-- Values never linked: the establishment's own numbers, legal advisers, Samaritans, MPs. Null establishment: all.
create table intelligence_do_not_link (
  id bigint generated always as identity primary key,
  establishment_code text references establishment (code),
  type text not null,
  value text not null,
  reason text not null,
  added_by text not null,
  added_at timestamptz not null,
  removed_at timestamptz,
  removed_by text
);
create unique index intelligence_do_not_link_value_idx
  on intelligence_do_not_link (coalesce(establishment_code, ''), type, value) where removed_at is null;

create table intelligence_dissemination (
  id uuid primary key default gen_random_uuid(),
  report_id uuid not null references intelligence_report (id),
  establishment_code text not null,
  recipient_type text not null check (recipient_type in (
    'establishment', 'police', 'socu', 'counter-terrorism', 'nca', 'probation')),
  recipient_name text not null,
  purpose text not null check (purpose in ('crime', 'national-security-public-safety', 'prison-security-good-order')),
  sanitised_version integer not null,
  sanitised_text text not null,
  grading_scheme text not null,
  grading_source text not null,
  grading_intelligence text not null,
  grading_handling text not null,
  handling_check text not null check (handling_check in ('within-terms', 'overridden')),
  override_reason text,
  authorised_by text not null,
  disseminated_at timestamptz not null
);
create index intelligence_dissemination_report_idx on intelligence_dissemination (report_id);
create index intelligence_dissemination_recipient_idx on intelligence_dissemination (recipient_type, disseminated_at desc);

-- Events about need-to-know records carry the compartment, so the audit trail itself does not reveal them.
alter table audit_event add column compartment text;
