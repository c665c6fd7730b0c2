// Benchmark baseline (bench/bench_ingest.py): the naive way, ONE row of registrations.csv per transaction
// (same statement as load_csv_registrations.cypher; $row holds the CSV fields as text, null when empty).
WITH $row AS row
MATCH (p:Person {person_id: row.person_id})
MATCH (a:Address {address_id: row.address_id})
MERGE (p)-[r:REGISTERED_AT {start_date: date(row.start_date)}]->(a)
SET r.end_date = date(row.end_date)
