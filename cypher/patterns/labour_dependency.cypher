// Labour dependency (indicator `labour_dependency`, barrier arbeid): adults registered in the period at
// addresses linked to a business — its own address, addresses of its owners/directors, addresses where
// >= $min_coworkers of its werknemers live — owners/directors of the business not counted; legitimate
// labour-migrant housing (logiesfunctie, enough m2, mostly werknemers) not counted.
// Same subjects as netwerk.indicators.labour.
//
// :param since => '2024-11-01'
// :param until => '2025-10-31'
// :param adult_year => 2007
// :param min_coworkers => 2
// :param max_m2_per_adult_logies => 10.0
// :param legit_worker_share => 0.8
// :param risk_sectors => ['96.02', '96.04', '45.20', '81.21', '56.10', '78.20', '01.13']
// :param min_dependent_adults => 5             // risk sector
// :param min_dependent_adults_other => 10      // other sectors
MATCH (b:Business)
CALL {
  WITH b
  MATCH (b)-[:LOCATED_AT]->(a:Address)
  RETURN a
  UNION
  WITH b
  MATCH (b)<-[o:ROLE_IN]-(:Person)-[r:REGISTERED_AT]->(a:Address)
  WHERE o.role IN ['eigenaar', 'bestuurder']
    AND (o.start_date IS NULL OR o.start_date <= date($until)) AND (o.end_date IS NULL OR o.end_date > date($since))
    AND (r.start_date IS NULL OR r.start_date <= date($until)) AND (r.end_date IS NULL OR r.end_date > date($since))
  RETURN a
  UNION
  WITH b
  MATCH (b)<-[w:ROLE_IN]-(p:Person)-[r:REGISTERED_AT]->(a:Address)
  WHERE w.role = 'werknemer'
    AND (w.start_date IS NULL OR w.start_date <= date($until)) AND (w.end_date IS NULL OR w.end_date > date($since))
    AND (r.start_date IS NULL OR r.start_date <= date($until)) AND (r.end_date IS NULL OR r.end_date > date($since))
  WITH a, count(DISTINCT p) AS coworkers
  WHERE coworkers >= $min_coworkers
  RETURN a
}
MATCH (a)<-[r:REGISTERED_AT]-(p:Person)
WHERE (r.start_date IS NULL OR r.start_date <= date($until)) AND (r.end_date IS NULL OR r.end_date > date($since))
  AND (p.birth_year IS NULL OR p.birth_year <= $adult_year)
  AND NOT EXISTS { MATCH (p)-[o:ROLE_IN]->(b) WHERE o.role IN ['eigenaar', 'bestuurder'] }
WITH b, a, p, EXISTS {
  MATCH (p)-[w:ROLE_IN]->(b)
  WHERE w.role = 'werknemer'
    AND (w.start_date IS NULL OR w.start_date <= date($until)) AND (w.end_date IS NULL OR w.end_date > date($since))
} AS werknemer
WITH b, a, collect(DISTINCT {p: p.person_id, w: werknemer}) AS housed
WITH b, a, housed, toFloat(size([h IN housed WHERE h.w])) / size(housed) AS share
WHERE NOT (coalesce(a.purpose = 'logiesfunctie', false)
           AND coalesce(toFloat(a.floor_area_m2) / size(housed) >= $max_m2_per_adult_logies, false)
           AND share >= $legit_worker_share)
UNWIND housed AS h
WITH b, count(DISTINCT h.p) AS value, collect(DISTINCT a.address_id) AS addresses
WITH b, value, addresses, coalesce(any(code IN $risk_sectors WHERE b.sbi_code STARTS WITH code), false) AS risk
WHERE value >= CASE WHEN risk THEN $min_dependent_adults ELSE $min_dependent_adults_other END
RETURN 'business' AS subject_type, b.business_id AS subject_id, value, risk, b.sbi_code AS sbi_code, addresses
ORDER BY value DESC, subject_id;
