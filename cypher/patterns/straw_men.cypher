// Straw men (indicator `straw_men`, barrier financiën): owner/director roles that started in the
// look-back window after the business was founded — each one a change of the person in charge.
// Same subjects as netwerk.indicators.strawmen.
//
// :param window_start => '2023-11-01'          // until - straw_window_days + 1 (or --since)
// :param until => '2025-10-31'
// :param min_straw_changes => 2
MATCH (p:Person)-[o:ROLE_IN]->(b:Business)
WHERE o.role IN ['eigenaar', 'bestuurder']
  AND o.start_date >= date($window_start) AND o.start_date <= date($until)
  AND (b.registered_at IS NULL OR o.start_date > b.registered_at)
WITH b, count(*) AS value, collect(p.person_id) AS persons
WHERE value >= $min_straw_changes
RETURN 'business' AS subject_type, b.business_id AS subject_id, value, persons
ORDER BY value DESC, subject_id;
