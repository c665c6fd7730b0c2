// Notebook 4 (eigen analyse): the addresses with the most signals in a period, with the number of
// persons ever registered there. Aggregate: no person keys are returned. The notebook computes the same
// from the frames beside it (a test runs the notebook on real Neo4j).
//
// :param since => '2024-11-01'                 // first day (ISO)
// :param until => '2025-10-31'                 // last day, inclusive
// :param top => 10
MATCH (s:Signal)-[:AT]->(a:Address)
WHERE s.reported_at >= localdatetime($since) AND s.reported_at < localdatetime($until) + duration('P1D')
WITH a, count(DISTINCT s) AS signals
OPTIONAL MATCH (p:Person)-[:REGISTERED_AT]->(a)
RETURN a.address_id AS address_id, signals, count(DISTINCT p) AS registered_persons
ORDER BY signals DESC, address_id
LIMIT $top;
