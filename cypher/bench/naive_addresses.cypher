// Benchmark baseline (bench/bench_ingest.py): the naive way, ONE row of addresses.csv per transaction
// (same statement as load_csv_addresses.cypher; $row holds the CSV fields as text, null when empty).
WITH $row AS row
MERGE (a:Address {address_id: row.address_id})
SET a += {street: row.street, house_number: toInteger(row.house_number), house_letter: row.house_letter,
          house_number_addition: row.house_number_addition, postcode: row.postcode, city: row.city,
          buurt_code: row.buurt_code, wijk_code: row.wijk_code, lat: toFloat(row.lat), lon: toFloat(row.lon),
          purpose: row.purpose, floor_area_m2: toFloat(row.floor_area_m2)}
WITH a, row WHERE row.buurt_code IS NOT NULL AND row.buurt_code <> ''
MERGE (b:Area {area_code: row.buurt_code})
MERGE (a)-[:IN]->(b)
