// Signal clustering (indicator `signal_cluster`, barrier entree): ondermijning signals (domain
// ondermijning or one of $subcategories: hennep/drugs, Meld Misdaad Anoniem, woningdelen/spookburgers,
// mensenhandel) of the look-back window around addresses, persons and businesses.
// Address: signals at it, involving a resident (period), or at an address sharing a resident (period).
// Person: signals involving them (not as melder), at the address of a business they own/direct.
// Business: signals at its address, involving its owners/directors (not as melder).
// Same subjects as netwerk.indicators.clustering.
//
// :param since => '2024-11-01'                 // period (registrations and roles)
// :param until => '2025-10-31'
// :param window_start => '2023-11-01'          // until - cluster_days + 1 (or --since)
// :param subcategories => ['hennepteelt', 'hennepteelt / drugslab', 'drugshandel', 'meld-misdaad-anoniem', 'meld misdaad anoniem', 'woningdelen-spookburgers', 'woningdelen / spookburgers', 'mensenhandel-uitbuiting', 'signalen mensenhandel / uitbuiting', 'wonen-ondermijning', 'wonen ondermijning', 'vermoeden']
// :param min_cluster_signals => 2
MATCH (s:Signal)
WHERE (s.domain = 'ondermijning' OR toLower(trim(coalesce(s.subcategory, ''))) IN $subcategories)
  AND s.reported_at >= localdatetime($window_start) AND s.reported_at < localdatetime($until) + duration('P1D')
CALL {
  WITH s
  MATCH (s)-[:AT]->(a:Address)
  RETURN 'address' AS subject_type, a.address_id AS subject_id
  UNION
  WITH s
  MATCH (s)-[i:INVOLVES]->(:Person)-[r:REGISTERED_AT]->(a:Address)
  WHERE coalesce(i.role, '') <> 'melder'
    AND (r.start_date IS NULL OR r.start_date <= date($until)) AND (r.end_date IS NULL OR r.end_date > date($since))
  RETURN 'address' AS subject_type, a.address_id AS subject_id
  UNION
  WITH s
  MATCH (s)-[:AT]->(x:Address)<-[r1:REGISTERED_AT]-(:Person)-[r2:REGISTERED_AT]->(a:Address)
  WHERE a <> x
    AND (r1.start_date IS NULL OR r1.start_date <= date($until)) AND (r1.end_date IS NULL OR r1.end_date > date($since))
    AND (r2.start_date IS NULL OR r2.start_date <= date($until)) AND (r2.end_date IS NULL OR r2.end_date > date($since))
  RETURN 'address' AS subject_type, a.address_id AS subject_id
  UNION
  WITH s
  MATCH (s)-[i:INVOLVES]->(p:Person)
  WHERE coalesce(i.role, '') <> 'melder'
  RETURN 'person' AS subject_type, p.person_id AS subject_id
  UNION
  WITH s
  MATCH (s)-[:AT]->(:Address)<-[:LOCATED_AT]-(:Business)<-[o:ROLE_IN]-(p:Person)
  WHERE o.role IN ['eigenaar', 'bestuurder']
    AND (o.start_date IS NULL OR o.start_date <= date($until)) AND (o.end_date IS NULL OR o.end_date > date($since))
  RETURN 'person' AS subject_type, p.person_id AS subject_id
  UNION
  WITH s
  MATCH (s)-[:AT]->(:Address)<-[:LOCATED_AT]-(b:Business)
  RETURN 'business' AS subject_type, b.business_id AS subject_id
  UNION
  WITH s
  MATCH (s)-[i:INVOLVES]->(:Person)-[o:ROLE_IN]->(b:Business)
  WHERE coalesce(i.role, '') <> 'melder' AND o.role IN ['eigenaar', 'bestuurder']
    AND (o.start_date IS NULL OR o.start_date <= date($until)) AND (o.end_date IS NULL OR o.end_date > date($since))
  RETURN 'business' AS subject_type, b.business_id AS subject_id
}
WITH subject_type, subject_id, count(DISTINCT s) AS value, collect(DISTINCT s.signal_id) AS signals
WHERE value >= $min_cluster_signals
RETURN subject_type, subject_id, value, signals
ORDER BY subject_type, value DESC, subject_id;
