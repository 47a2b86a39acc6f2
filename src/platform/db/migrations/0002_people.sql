-- People: nominals (prisoners, staff, visitors, others), aliases, protected characteristics, security flags
-- (NOMIS-style alerts) with their full history, transfers and prisoner imports.

create table people_alert_code (
  code text primary key,
  alert_type text not null,
  description text not null,
  -- Null: every role that reads people sees it. Otherwise only these roles do.
  visible_to_roles text[],
  active boolean not null default true
);

create sequence people_nominal_ref_seq;

create table people_nominal (
  id uuid primary key default gen_random_uuid(),
  -- The stable reference people see: the prison number for prisoners, N-0000123 for anyone else.
  ref text not null unique,
  kind text not null check (kind in ('prisoner', 'staff', 'visitor', 'other')),
  establishment_code text not null references establishment (code),
  -- Staff nominals are need-to-know (staff corruption): outside the compartment they do not exist.
  compartment text check (compartment in ('staff-corruption', 'chis', 'counter-terrorism')),
  first_name text not null,
  middle_names text,
  last_name text not null,
  date_of_birth date,
  prison_number text unique check (prison_number ~ '^[A-Z][0-9]{4}[A-Z]{2}$'),
  booking_id text,
  pnc_number text,
  cro_number text,
  staff_number text,
  cell_location text,
  security_category text,
  incentive_level text,
  sentence_start_date date,
  release_date date,
  conditional_release_date date,
  in_custody boolean not null default true,
  notes text,
  source text not null default 'manual' check (source in ('manual', 'import')),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check ((kind = 'prisoner') = (prison_number is not null))
);
create index people_nominal_establishment_idx on people_nominal (establishment_code, kind);
create index people_nominal_pnc_idx on people_nominal (pnc_number) where pnc_number is not null;
create index people_nominal_dob_idx on people_nominal (date_of_birth);
create index people_nominal_name_trgm_idx on people_nominal
  using gin ((lower(first_name || ' ' || last_name)) gin_trgm_ops);
create index people_nominal_last_name_trgm_idx on people_nominal using gin (lower(last_name) gin_trgm_ops);

create table people_alias (
  id uuid primary key default gen_random_uuid(),
  nominal_id uuid not null references people_nominal (id) on delete cascade,
  first_name text not null,
  last_name text not null,
  date_of_birth date
);
create index people_alias_nominal_idx on people_alias (nominal_id);
create index people_alias_name_trgm_idx on people_alias
  using gin ((lower(first_name || ' ' || last_name)) gin_trgm_ops);

-- Restricted: read only by roles that need them (equality monitoring and dip samples).
create table people_protected_characteristics (
  nominal_id uuid primary key references people_nominal (id) on delete cascade,
  sex text,
  ethnicity text,
  religion text,
  sexual_orientation text,
  disability boolean,
  nationality text,
  updated_at timestamptz not null
);

-- A flag is its identity; each change is a new version row, so the history is the data.
create table people_alert (
  id uuid primary key default gen_random_uuid(),
  nominal_id uuid not null references people_nominal (id),
  alert_code text not null references people_alert_code (code),
  source text not null default 'manual' check (source in ('manual', 'import', 'ocgm')),
  created_at timestamptz not null,
  created_by text not null
);
create index people_alert_nominal_idx on people_alert (nominal_id);
create index people_alert_code_idx on people_alert (alert_code);

create table people_alert_version (
  alert_id uuid not null references people_alert (id),
  version integer not null,
  change text not null check (change in ('created', 'amended', 'closed', 'reopened')),
  description text,
  authorised_by text,
  active_from date not null,
  active_to date,
  comment text,
  changed_by text not null,
  changed_at timestamptz not null,
  primary key (alert_id, version),
  check (active_to is null or active_to >= active_from)
);

create table people_transfer (
  id bigint generated always as identity primary key,
  nominal_id uuid not null references people_nominal (id),
  from_establishment text references establishment (code),
  to_establishment text not null references establishment (code),
  occurred_at timestamptz not null,
  source text not null check (source in ('manual', 'import'))
);
create index people_transfer_nominal_idx on people_transfer (nominal_id, occurred_at desc);

create table people_import_run (
  id uuid primary key default gen_random_uuid(),
  file_name text not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  started_by text not null,
  records integer not null default 0,
  created integer not null default 0,
  updated integer not null default 0,
  unchanged integer not null default 0,
  transferred integer not null default 0,
  rejected integer not null default 0,
  rejections jsonb not null default '[]'
);

insert into people_alert_code (code, alert_type, description, visible_to_roles) values
  ('XEL', 'X', 'Escape List', null),
  ('XELH', 'X', 'Escape List - Heightened', null),
  ('XER', 'X', 'Escape Risk', null),
  ('XC', 'X', 'Climber', null),
  ('XCU', 'X', 'Controlled Unlock', null),
  ('XGANG', 'X', 'Gang Member', null),
  ('DOCGM', 'D', 'OCG Nominal - Do not share', null),
  ('XTACT', 'X', 'Terrorism Act or related offence',
    '{analyst,head-of-security,governor,pgd,ed-security,socu,auditor}'),
  ('XCO', 'X', 'Corruptor', '{analyst,head-of-security,governor,counter-corruption,ed-security,auditor}'),
  ('XSA', 'X', 'Staff Assaulter', null),
  ('XCA', 'X', 'Chemical Attacker', null),
  ('XHT', 'X', 'Hostage Taker', null),
  ('HPI', 'X', 'High Public Interest', null),
  ('XSC', 'X', 'Serious Crime Prevention Order', null),
  ('XA', 'X', 'Arsonist', null),
  ('XRF', 'X', 'Risk to Females', null),
  ('XNR', 'X', 'Not For Release', null);
