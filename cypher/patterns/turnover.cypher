// High turnover (indicator `turnover`, barrier registratie/identiteit): many short adult registrations
// at one address that started in the look-back window. Stays in logiesfunctie of persons with a
// werknemer role in the period are not counted. Same subjects as netwerk.indicators.turnover.
//
// :param since => '2024-11-01'                 // period start (for the werknemer-role overlap)
// :param window_start => '2024-11-01'          // until - turnover_days + 1 (or --since)
// :param until => '2025-10-31'
// :param adult_year => 2007                    // birth_year <= this counts as adult
// :param short_stay_days => 120                // ended within this many days = short
// :param min_short_stays => 4
MATCH (p:Person)-[r:REGISTERED_AT]->(a:Address)
WHERE r.start_date >= date($window_start) AND r.start_date <= date($until)
  AND r.end_date IS NOT NULL AND r.end_date <= date($until)
  AND duration.inDays(r.start_date, r.end_date).days <= $short_stay_days
  AND (p.birth_year IS NULL OR p.birth_year <= $adult_year)
  AND NOT (coalesce(a.purpose = 'logiesfunctie', false) AND EXISTS {
    MATCH (p)-[w:ROLE_IN]->(:Business)
    WHERE w.role = 'werknemer' AND (w.start_date IS NULL OR w.start_date <= date($until))
      AND (w.end_date IS NULL OR w.end_date > date($since))
  })
WITH a, count(*) AS value, count(DISTINCT p) AS persons
WHERE value >= $min_short_stays
RETURN 'address' AS subject_type, a.address_id AS subject_id, value, persons
ORDER BY value DESC, subject_id;
