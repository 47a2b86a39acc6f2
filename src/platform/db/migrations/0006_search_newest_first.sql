-- Intelligence search reads the newest reports first and stops once it has enough matches (issue 7). A reader with
-- one prison walks intelligence_report_establishment_idx; a reader with national scope walks this one.
create index intelligence_report_submitted_idx on intelligence_report (submitted_at desc);
