// Create or update relationships between existing nodes, one batch per call.
// __RELKEY__ is the relationship's key map from the domain model (e.g. {start_date: date(row.key.start_date)}),
// __SET__ `SET r.p = coalesce(row.props.p, r.p), …` for the other properties in the batch (as in
// cypher/store/upsert_nodes.cypher: a date or datetime made native, a missing value never overwrites).
// Returns how many rows found both endpoints: the adapter rolls the batch back when that is fewer than
// it sent (so a write without the up-front endpoint check still never drops a row silently).
UNWIND $rows AS row
MATCH (a:__START__ {__START_KEY__: row.start})
MATCH (b:__END__ {__END_KEY__: row.end})
MERGE (a)-[r:__TYPE__ __RELKEY__]->(b)
__SET__
RETURN count(*) AS written
