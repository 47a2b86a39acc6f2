-- Local Security Strategy: instructions and their published versions, nominated editors, amendments with their
-- decisions and revisions, staff acknowledgements, risk assessments, and assurance statements.

create table lss_setting (
  establishment_code text primary key references establishment (code),
  -- LSS PF 4.16: agreed locally that every change needs PGD authorisation.
  pgd_required boolean not null default false,
  updated_at timestamptz not null,
  updated_by text not null
);

create table lss_editor (
  establishment_code text not null references establishment (code),
  username text not null,
  nominated_by text not null,
  nominated_at timestamptz not null,
  primary key (establishment_code, username)
);

create sequence lss_instruction_seq;

create table lss_instruction (
  id uuid primary key default gen_random_uuid(),
  ref text not null unique,
  establishment_code text not null references establishment (code),
  risk_area text not null check (risk_area in (
    'conveyance', 'escape-abscond', 'illicit-communications', 'illicit-economy', 'violence-disorder', 'cross-cutting')),
  title text not null,
  owner text not null,
  -- LSS PF 6.13: where the prison only follows national policy, the instruction links to it.
  national_policy_url text,
  supporting_tools jsonb not null default '[]',
  review_due date,
  current_version integer not null default 1,
  created_at timestamptz not null,
  created_by text not null
);
create index lss_instruction_establishment_idx on lss_instruction (establishment_code, risk_area, title);

-- Published versions are never changed: a change is a new version through an approved amendment.
create table lss_instruction_version (
  instruction_id uuid not null references lss_instruction (id),
  version integer not null,
  aim_and_purpose text not null,
  national_reference text not null,
  local_reference text not null,
  procedures text not null,
  text_hash text not null,
  amendment_id uuid,
  published_at timestamptz not null,
  published_by text not null,
  primary key (instruction_id, version)
);

create function lss_version_is_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'a published LSS version is never changed; propose an amendment';
end;
$$;
create trigger lss_instruction_version_immutable before update or delete on lss_instruction_version
  for each row execute function lss_version_is_immutable();

create sequence lss_amendment_seq;

create table lss_amendment (
  id uuid primary key default gen_random_uuid(),
  ref text not null unique,
  instruction_id uuid not null references lss_instruction (id),
  establishment_code text not null references establishment (code),
  proposer text not null,
  proposed_at timestamptz not null,
  base_version integer not null,
  aim_and_purpose text not null,
  national_reference text not null,
  local_reference text not null,
  procedures text not null,
  text_hash text not null,
  change text not null,
  reasoning text not null,
  relates_to text not null check (relates_to in ('category-a', 'restricted-status', 'none')),
  governor_chooses_pgd boolean not null default false,
  required_approvals text[] not null,
  status text not null check (status in (
    'awaiting-governor', 'awaiting-pgd', 'awaiting-ed-security', 'approved', 'rejected', 'withdrawn')),
  -- Optimistic concurrency: a decision names the version it saw; the second of two at once finds it changed.
  row_version integer not null default 1,
  published_version integer
);
create index lss_amendment_establishment_idx on lss_amendment (establishment_code, proposed_at desc);
-- LSS: one open amendment per instruction at a time.
create unique index lss_amendment_one_open_idx on lss_amendment (instruction_id)
  where status in ('awaiting-governor', 'awaiting-pgd', 'awaiting-ed-security');

create table lss_amendment_decision (
  id bigint generated always as identity primary key,
  amendment_id uuid not null references lss_amendment (id),
  role text not null check (role in ('governor', 'pgd', 'ed-security', 'proposer')),
  decision text not null check (decision in ('approve', 'reject', 'withdraw')),
  decided_by text not null,
  decided_at timestamptz not null,
  notes text,
  text_hash text not null
);
create index lss_amendment_decision_amendment_idx on lss_amendment_decision (amendment_id, id);

create table lss_amendment_revision (
  id bigint generated always as identity primary key,
  amendment_id uuid not null references lss_amendment (id),
  aim_and_purpose text not null,
  national_reference text not null,
  local_reference text not null,
  procedures text not null,
  text_hash text not null,
  revised_by text not null,
  revised_at timestamptz not null
);

create table lss_acknowledgement (
  instruction_id uuid not null references lss_instruction (id),
  version integer not null,
  username text not null,
  department text,
  establishment_code text not null,
  acknowledged_at timestamptz not null,
  primary key (instruction_id, version, username)
);

create sequence lss_assessment_seq;

create table lss_risk_assessment (
  id uuid primary key default gen_random_uuid(),
  ref text not null unique,
  establishment_code text not null references establishment (code),
  reason text not null check (reason in ('annual', 'significant-change')),
  reason_note text,
  status text not null check (status in ('in-progress', 'completed')),
  started_at timestamptz not null,
  started_by text not null,
  completed_at timestamptz,
  completed_by text,
  summary text
);
create index lss_risk_assessment_establishment_idx on lss_risk_assessment (establishment_code, started_at desc);

create table lss_assessment_finding (
  id bigint generated always as identity primary key,
  assessment_id uuid not null references lss_risk_assessment (id),
  threat_area text not null,
  component text not null,
  kind text not null check (kind in ('strength', 'vulnerability')),
  text text not null,
  evidence text[] not null default '{}',
  added_by text not null,
  added_at timestamptz not null
);

create table lss_assessment_evidence (
  id bigint generated always as identity primary key,
  assessment_id uuid not null references lss_risk_assessment (id),
  source text not null,
  title text not null,
  link text,
  figures jsonb,
  added_by text not null,
  added_at timestamptz not null
);

create table lss_assessment_contributor (
  assessment_id uuid not null references lss_risk_assessment (id),
  name text not null,
  department text not null,
  primary key (assessment_id, name)
);

create table lss_assessment_action (
  id bigint generated always as identity primary key,
  assessment_id uuid not null references lss_risk_assessment (id),
  establishment_code text not null,
  description text not null,
  owner text not null,
  due_date date not null,
  status text not null default 'open' check (status in ('open', 'done')),
  amendment_id uuid references lss_amendment (id),
  added_by text not null,
  added_at timestamptz not null
);

-- A significant change in risk (LSS PF 4.12) makes a new assessment due at once.
create table lss_significant_change (
  id bigint generated always as identity primary key,
  establishment_code text not null references establishment (code),
  recorded_on date not null,
  description text not null,
  recorded_by text not null,
  recorded_at timestamptz not null
);

create table lss_assurance_statement (
  id uuid primary key default gen_random_uuid(),
  establishment_code text not null references establishment (code),
  year integer not null,
  statement text not null,
  level_of_assurance text not null check (level_of_assurance in ('substantial', 'reasonable', 'limited')),
  additional_checks text[] not null default '{}',
  lss_hash text not null,
  risk_assessment_ref text not null,
  prepared_by text not null,
  prepared_at timestamptz not null,
  governor_username text,
  governor_signed_at timestamptz,
  pgd_username text,
  pgd_signed_at timestamptz,
  unique (establishment_code, year)
);
