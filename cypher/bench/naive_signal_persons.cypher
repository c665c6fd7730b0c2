// Benchmark baseline (bench/bench_ingest.py): the naive way, ONE row of signal_persons.csv per transaction
// (same statement as load_csv_signal_persons.cypher; $row holds the CSV fields as text, null when empty).
WITH $row AS row
MATCH (s:Signal {signal_id: row.signal_id})
MATCH (p:Person {person_id: row.person_id})
MERGE (s)-[r:INVOLVES]->(p)
SET r.role = row.role
