// Overcrowding (indicator `overcrowding`, barrier huisvesting): the maximum number of adults registered
// at one address at the same moment in the period, against floor area per adult and gebruiksdoel.
// Same subjects as netwerk.indicators.overcrowding (tested on real Neo4j).
// Registrations are active on [start_date, end_date); dates are native `date` values, the parameters ISO text.
//
// :param since => '2024-11-01'                 // period start (default: 365 days up to the latest signal)
// :param until => '2025-10-31'                 // period end, inclusive
// :param adult_year => 2007                    // birth_year <= this counts as adult (year(until) - 18)
// :param min_adults => 5                       // woonfunctie: at least this many adults ...
// :param max_m2_per_adult => 15.0              // ... with less floor area per adult than this
// :param min_adults_logies => 8                // logiesfunctie
// :param max_m2_per_adult_logies => 10.0
// :param min_adults_no_area => 8               // floor area unknown
MATCH (p:Person)-[r:REGISTERED_AT]->(a:Address)
WHERE (r.start_date IS NULL OR r.start_date <= date($until))
  AND (r.end_date IS NULL OR r.end_date > date($since))
  AND (p.birth_year IS NULL OR p.birth_year <= $adult_year)
WITH a, collect({
  s: CASE WHEN r.start_date IS NULL OR r.start_date < date($since) THEN date($since) ELSE r.start_date END,
  e: r.end_date
}) AS regs
UNWIND regs AS x
WITH a, x.s AS t, size([y IN regs WHERE y.s <= x.s AND (y.e IS NULL OR y.e > x.s)]) AS n
WITH a, max(n) AS max_adults
WITH a, max_adults, toFloat(a.floor_area_m2) / max_adults AS m2_per_adult
WHERE CASE
  WHEN a.floor_area_m2 IS NULL THEN max_adults >= $min_adults_no_area
  WHEN a.purpose = 'logiesfunctie' THEN max_adults >= $min_adults_logies AND m2_per_adult < $max_m2_per_adult_logies
  ELSE max_adults >= $min_adults AND m2_per_adult < $max_m2_per_adult
END
RETURN 'address' AS subject_type, a.address_id AS subject_id, max_adults AS value, a.purpose AS purpose,
       a.floor_area_m2 AS floor_area_m2, m2_per_adult
ORDER BY value DESC, subject_id;
