-- Output 13: the reviews of a measure on a visitor. Each review is a decision of its own, kept as a row: it continues
-- the measure to a new review date or ends it. The measure's next review is the last review's, or its first while
-- none has been held; ending it also fills searching_visit_measure.ended_at, so a live measure is one query away.
create table searching_visit_measure_review (
  id uuid primary key default gen_random_uuid(),
  measure_id uuid not null references searching_visit_measure (id),
  establishment_code text not null references establishment (code),
  reviewed_on date not null,
  outcome text not null check (outcome in ('continue', 'end')),
  next_review_on date,
  notes text not null,
  reviewed_by text not null,
  reviewed_at timestamptz not null,
  check ((outcome = 'continue') = (next_review_on is not null))
);
create index searching_visit_measure_review_measure_idx on searching_visit_measure_review (measure_id, reviewed_at desc);
create index searching_visit_measure_nominal_idx on searching_visit_measure (nominal_id);

-- Output 14: why a permission was withdrawn before it ran out, for whoever next reads it.
alter table searching_item_permission add column revocation_reason text;
alter table searching_item_permission add constraint searching_item_permission_revocation_check
  check ((revoked_at is null) = (revocation_reason is null));
