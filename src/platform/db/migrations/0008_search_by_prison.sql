-- Full-text indexes keyed by prison as well as by word (issue 7). With the prison's code in the same GIN index, a
-- search at one prison starts from that prison's few thousand reports and skips through the long lists of common
-- words, instead of reading every report in the country that holds them and intersecting. A phrase of common words
-- at Moorland fell from about 45 ms to 22 ms in bench/RESULTS.md's national data. Searches without a prison use the
-- same indexes through their second column, as fast as the single-column indexes they replace.
create extension if not exists btree_gin;

create index intelligence_report_text_search_by_prison_idx
  on intelligence_report using gin (establishment_code, text_search);
create index intelligence_report_sanitised_search_by_prison_idx
  on intelligence_report using gin (establishment_code, sanitised_search);
drop index intelligence_report_text_search_idx;
drop index intelligence_report_sanitised_search_idx;
