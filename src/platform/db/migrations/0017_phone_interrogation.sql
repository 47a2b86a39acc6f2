-- Output 15 ("mobile phones found within a prison are interrogated"): the result of an interrogation is recorded as an
-- intelligence report whose source is the interrogation, so that the numbers and IMEIs found on a seized phone are
-- entities that correlation and the network see beside everything else the prison knows.
alter table intelligence_report drop constraint intelligence_report_source_type_check;
alter table intelligence_report add constraint intelligence_report_source_type_check check (source_type in (
  'own-observation', 'told-by-prisoner', 'overheard', 'found-item', 'phone-monitoring', 'mail-monitoring',
  'other-agency', 'chis', 'other', 'phone-interrogation'));

-- A lawful basis other than the security examination of a seized device is exercised under an authorisation.
alter table searching_interrogation add constraint searching_interrogation_authorisation_check
  check (lawful_basis = 'security-examination' or authorisation_ref is not null);

-- A result is recorded once: when, by whom and the report it went into, together.
alter table searching_interrogation add constraint searching_interrogation_result_check
  check ((result_at is null) = (result_by is null) and (result_at is null) = (report_id is null));

-- One request a find awaits its result at a time; and the security department's list of those awaiting, oldest first.
create unique index searching_interrogation_awaiting_find_idx on searching_interrogation (find_id)
  where result_at is null;
create index searching_interrogation_awaiting_idx on searching_interrogation (establishment_code, requested_at)
  where result_at is null;

-- A contact is a name and a number; an IMEI or a number found on its own has no name.
alter table searching_interrogation_item add constraint searching_interrogation_item_name_check
  check ((type = 'contact') = (name is not null));
