// Benchmark baseline (bench/bench_ingest.py): Neo4j's own LOAD CSV of registrations.csv (REGISTERED_AT).
LOAD CSV WITH HEADERS FROM $url AS row
CALL {
  WITH row
  MATCH (p:Person {person_id: row.person_id})
  MATCH (a:Address {address_id: row.address_id})
  MERGE (p)-[r:REGISTERED_AT {start_date: date(row.start_date)}]->(a)
  SET r.end_date = date(row.end_date)
} IN TRANSACTIONS OF 10000 ROWS
