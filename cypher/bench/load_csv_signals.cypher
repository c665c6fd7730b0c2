// Benchmark baseline (bench/bench_ingest.py): Neo4j's own LOAD CSV of signals.csv (Signal nodes, AT their
// address, IN their buurt Area; like netwerk's ingest, a signal without a buurt gets its address's).
LOAD CSV WITH HEADERS FROM $url AS row
CALL {
  WITH row
  MERGE (s:Signal {signal_id: row.signal_id})
  SET s += {reported_at: localdatetime(row.reported_at), category: row.category, subcategory: row.subcategory,
            source: row.source, lat: toFloat(row.lat), lon: toFloat(row.lon),
            description: row.description, status: row.status}
  WITH s, row
  OPTIONAL MATCH (a:Address {address_id: row.address_id})
  FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END | MERGE (s)-[:AT]->(a))
  WITH s, coalesce(CASE WHEN row.buurt_code <> '' THEN row.buurt_code END, a.buurt_code) AS buurt
  WHERE buurt IS NOT NULL
  SET s.buurt_code = buurt
  MERGE (b:Area {area_code: buurt})
  MERGE (s)-[:IN]->(b)
} IN TRANSACTIONS OF 10000 ROWS
