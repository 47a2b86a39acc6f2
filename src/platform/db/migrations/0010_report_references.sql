-- Issue 13, defect 6: report references are drawn at random (rules.ts `drawReportRef`), so the sequence that numbered
-- them, one run per prison and year with a gap wherever a compartmented report sat, has gone. References already
-- issued keep their numbers: they stay valid, and the unique constraint on intelligence_report.ref covers both forms.
drop sequence if exists intelligence_report_seq;
