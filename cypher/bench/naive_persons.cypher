// Benchmark baseline (bench/bench_ingest.py): the naive way, ONE row of persons.csv per transaction
// (same statement as load_csv_persons.cypher; $row holds the CSV fields as text, null when empty).
WITH $row AS row
MERGE (p:Person {person_id: row.person_id})
SET p += {bsn: row.bsn, first_name: row.first_name, last_name: row.last_name,
          birth_year: toInteger(row.birth_year), gender: row.gender}
