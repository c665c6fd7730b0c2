// Benchmark baseline (bench/bench_ingest.py): Neo4j's own LOAD CSV of persons.csv (Person nodes).
LOAD CSV WITH HEADERS FROM $url AS row
CALL {
  WITH row
  MERGE (p:Person {person_id: row.person_id})
  SET p += {bsn: row.bsn, first_name: row.first_name, last_name: row.last_name,
            birth_year: toInteger(row.birth_year), gender: row.gender}
} IN TRANSACTIONS OF 10000 ROWS
