// Facilitator (indicator `facilitator`, barrier financiën): persons linked to >= $min_facilitator_links
// flagged businesses/addresses, at least one of them a business: an owner/director role at a flagged
// business that is not itself a quick succession (the person behind the straw men), a registration of
// their own at a flagged address in the period, or owner/director of a business located at a flagged
// address (landlord role). Same subjects as netwerk.indicators.facilitator.
// The flagged sets come from the other patterns: $flagged_businesses = subjects of
// labour_dependency.cypher + straw_men.cypher, $flagged_addresses = subjects of overcrowding.cypher +
// turnover.cypher.
//
// :param since => '2024-11-01'
// :param until => '2025-10-31'
// :param straw_window_start => '2023-11-01'    // as window_start of straw_men.cypher
// :param flagged_businesses => []
// :param flagged_addresses => []
// :param min_facilitator_links => 2
CALL {
  MATCH (b:Business) WHERE b.business_id IN $flagged_businesses
  MATCH (p:Person)-[o:ROLE_IN]->(b)
  WHERE o.role IN ['eigenaar', 'bestuurder'] AND (o.start_date IS NULL OR o.start_date <= date($until))
    AND NOT coalesce(o.start_date >= date($straw_window_start) AND o.start_date <= date($until)
                     AND (b.registered_at IS NULL OR o.start_date > b.registered_at), false)
  RETURN p, 'business' AS kind, b.business_id AS ref
  UNION
  MATCH (a:Address) WHERE a.address_id IN $flagged_addresses
  MATCH (p:Person)-[r:REGISTERED_AT]->(a)
  WHERE (r.start_date IS NULL OR r.start_date <= date($until)) AND (r.end_date IS NULL OR r.end_date > date($since))
  RETURN p, 'address' AS kind, a.address_id AS ref
  UNION
  MATCH (a:Address) WHERE a.address_id IN $flagged_addresses
  MATCH (p:Person)-[o:ROLE_IN]->(b:Business)-[:LOCATED_AT]->(a)
  WHERE o.role IN ['eigenaar', 'bestuurder']
    AND (o.start_date IS NULL OR o.start_date <= date($until)) AND (o.end_date IS NULL OR o.end_date > date($since))
    AND NOT coalesce(o.start_date >= date($straw_window_start) AND o.start_date <= date($until)
                     AND (b.registered_at IS NULL OR o.start_date > b.registered_at), false)
  RETURN p, 'address' AS kind, a.address_id AS ref
}
WITH p, count(*) AS value, sum(CASE kind WHEN 'business' THEN 1 ELSE 0 END) AS businesses,
     collect(ref) AS links
WHERE value >= $min_facilitator_links AND businesses >= 1
RETURN 'person' AS subject_type, p.person_id AS subject_id, value, businesses, links
ORDER BY value DESC, subject_id;
