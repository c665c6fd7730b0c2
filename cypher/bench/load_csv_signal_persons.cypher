// Benchmark baseline (bench/bench_ingest.py): Neo4j's own LOAD CSV of signal_persons.csv (INVOLVES).
LOAD CSV WITH HEADERS FROM $url AS row
CALL {
  WITH row
  MATCH (s:Signal {signal_id: row.signal_id})
  MATCH (p:Person {person_id: row.person_id})
  MERGE (s)-[r:INVOLVES]->(p)
  SET r.role = row.role
} IN TRANSACTIONS OF 10000 ROWS
