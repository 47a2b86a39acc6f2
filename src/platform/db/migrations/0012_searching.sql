-- Searching, finds and evidence (service specification outputs 9 to 15): the search programme and the searches done,
-- the finds register, exhibits and their chain of custody, police holds, seized phones and their interrogation,
-- measures on visitors, and permissions for otherwise prohibited items. Every row belongs to a prison.
-- References are drawn at random (like report references since migration 0010), so none reveals a count.

-- Output 9: the local searching strategy as data, one requirement per line ("cells on A wing every 28 days").
create table searching_requirement (
  id uuid primary key default gen_random_uuid(),
  establishment_code text not null references establishment (code),
  target text not null check (target in ('cell', 'area', 'vehicle', 'workshop', 'prisoner', 'visitor')),
  location text not null,
  method text not null,
  every_days integer not null check (every_days between 1 and 366),
  starts_on date not null,
  notes text,
  created_by text not null,
  created_at timestamptz not null,
  retired_at timestamptz,
  retired_by text
);
create index searching_requirement_establishment_idx on searching_requirement (establishment_code) where retired_at is null;

create table searching_search (
  id uuid primary key default gen_random_uuid(),
  ref text not null unique,
  establishment_code text not null references establishment (code),
  requirement_id uuid references searching_requirement (id),
  target text not null check (target in ('cell', 'area', 'vehicle', 'workshop', 'prisoner', 'visitor')),
  location text not null,
  -- The wing or area a location belongs to, for coverage by wing ("B-2-014" is on B wing).
  wing text not null,
  method text not null check (method in (
    'standard', 'rub-down', 'full', 'dog', 'x-ray', 'detection-equipment', 'arms-explosives-test'
  )),
  reason text not null check (reason in ('planned', 'intelligence-led', 'random')),
  report_id uuid references intelligence_report (id),
  conducted_at timestamptz not null,
  conducted_by text not null,
  officers text,
  result text not null check (result in ('nothing-found', 'finds')),
  notes text,
  recorded_by text not null,
  recorded_at timestamptz not null
);
create index searching_search_establishment_idx on searching_search (establishment_code, conducted_at desc);
create index searching_search_requirement_idx on searching_search (requirement_id, conducted_at desc);

-- Output 11: the finds register.
create table searching_find (
  id uuid primary key default gen_random_uuid(),
  ref text not null unique,
  establishment_code text not null references establishment (code),
  category text not null check (category in (
    'mobile-phone', 'sim-card', 'charger', 'drugs', 'psychoactive-substance', 'weapon', 'alcohol', 'cash', 'tools',
    'other'
  )),
  description text not null,
  found_at timestamptz not null,
  location text not null,
  wing text not null,
  how text not null check (how in ('search', 'dog', 'x-ray', 'visit', 'post', 'other')),
  search_id uuid references searching_search (id),
  found_by text not null,
  recorded_by text not null,
  recorded_at timestamptz not null
);
create index searching_find_establishment_idx on searching_find (establishment_code, found_at desc);
create index searching_find_category_idx on searching_find (category, found_at desc);

-- The people a find is linked to, and for prisoners what followed (output 13).
create table searching_find_person (
  find_id uuid not null references searching_find (id),
  nominal_id uuid not null references people_nominal (id),
  outcome text check (outcome in ('adjudication', 'police-referral', 'no-further-action')),
  outcome_reference text,
  outcome_by text,
  outcome_at timestamptz,
  primary key (find_id, nominal_id)
);
create index searching_find_person_nominal_idx on searching_find_person (nominal_id);

-- The intelligence that led to a find.
create table searching_find_report (
  find_id uuid not null references searching_find (id),
  report_id uuid not null references intelligence_report (id),
  primary key (find_id, report_id)
);
create index searching_find_report_report_idx on searching_find_report (report_id);

-- Output 12: exhibits. Custody starts with whoever seized it; every movement after is a custody event.
create table searching_exhibit (
  id uuid primary key default gen_random_uuid(),
  ref text not null unique,
  find_id uuid not null references searching_find (id),
  establishment_code text not null references establishment (code),
  seal_number text not null,
  seized_by_kind text not null check (seized_by_kind in ('person', 'store', 'police')),
  seized_by_name text not null,
  seized_at timestamptz not null,
  stored_at text not null,
  created_by text not null,
  created_at timestamptz not null,
  disposed_at timestamptz,
  disposal_method text check (disposal_method in ('destroyed', 'returned-to-owner', 'retained-by-police', 'other')),
  disposed_by text,
  disposal_witness text,
  disposal_notes text
);
create index searching_exhibit_find_idx on searching_exhibit (find_id);
create index searching_exhibit_establishment_idx on searching_exhibit (establishment_code, created_at desc);

create table searching_custody_event (
  id bigint generated always as identity primary key,
  exhibit_id uuid not null references searching_exhibit (id),
  kind text not null check (kind in ('transfer', 'reseal', 'police-handover', 'police-return')),
  at timestamptz not null,
  from_kind text not null check (from_kind in ('person', 'store', 'police')),
  from_name text not null,
  to_kind text not null check (to_kind in ('person', 'store', 'police')),
  to_name text not null,
  location text not null,
  reason text not null,
  seal_intact boolean not null,
  seal_number text not null,
  witness text,
  police_officer text,
  police_force text,
  crime_reference text,
  recorded_by text not null,
  recorded_at timestamptz not null
);
create index searching_custody_event_exhibit_idx on searching_custody_event (exhibit_id, at, id);

-- A police hold stops disposal until the police lift it.
create table searching_police_hold (
  id uuid primary key default gen_random_uuid(),
  exhibit_id uuid not null references searching_exhibit (id),
  officer text not null,
  force text not null,
  crime_reference text not null,
  reason text not null,
  placed_at timestamptz not null,
  placed_by text not null,
  lifted_at timestamptz,
  lifted_by text
);
create unique index searching_police_hold_live_idx on searching_police_hold (exhibit_id) where lifted_at is null;

-- Output 15: seized phones and SIM cards, interrogated under a lawful basis.
create table searching_interrogation (
  id uuid primary key default gen_random_uuid(),
  ref text not null unique,
  find_id uuid not null references searching_find (id),
  establishment_code text not null references establishment (code),
  imei text,
  iccid text,
  lawful_basis text not null check (lawful_basis in ('security-examination', 'stored-communications', 'police-request')),
  authorisation_ref text,
  requested_by text not null,
  requested_at timestamptz not null,
  result_at timestamptz,
  result_by text,
  -- The intelligence report the result was recorded in: its entities are what correlation and the network see.
  report_id uuid references intelligence_report (id)
);
create index searching_interrogation_find_idx on searching_interrogation (find_id);

create table searching_interrogation_item (
  id bigint generated always as identity primary key,
  interrogation_id uuid not null references searching_interrogation (id),
  type text not null check (type in ('imei', 'phone', 'contact')),
  value text not null,
  name text
);
create index searching_interrogation_item_idx on searching_interrogation_item (interrogation_id);

-- Output 13: bans and closed visits for visitors who convey, or try to.
create table searching_visit_measure (
  id uuid primary key default gen_random_uuid(),
  establishment_code text not null references establishment (code),
  visitor_name text not null,
  visitor_date_of_birth date,
  nominal_id uuid references people_nominal (id),
  measure text not null check (measure in ('ban', 'closed-visits')),
  reason text not null,
  find_id uuid references searching_find (id),
  starts_on date not null,
  review_on date not null,
  ends_on date,
  decided_by text not null,
  decided_at timestamptz not null,
  ended_at timestamptz,
  ended_by text
);
create index searching_visit_measure_establishment_idx on searching_visit_measure (establishment_code, review_on);

-- Output 14: permissions to bring in or hold an otherwise prohibited item.
create table searching_item_permission (
  id uuid primary key default gen_random_uuid(),
  establishment_code text not null references establishment (code),
  category text not null,
  description text not null,
  holder text not null,
  location text,
  valid_from timestamptz not null,
  valid_until timestamptz not null check (valid_until > valid_from),
  authorised_by text not null,
  authorised_at timestamptz not null,
  revoked_at timestamptz,
  revoked_by text
);
create index searching_item_permission_establishment_idx on searching_item_permission (establishment_code, valid_until);
