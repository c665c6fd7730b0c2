// Create or update relationships between existing nodes, one batch per call, as columns ($keys: the start
// keys, $ends: the end keys, $p_<property>; see cypher/store/upsert_nodes.cypher).
// __RELKEY__ is the relationship's key map from the domain model (e.g. {start_date: date($p_start_date[i])}),
// __SET__ `SET r.p = coalesce($p_p[i], r.p), …` for the other properties in the batch (as in
// cypher/store/upsert_nodes.cypher: a date or datetime made native, a missing value never overwrites).
// Returns how many rows found both endpoints: the adapter rolls the batch back when that is fewer than
// it sent (so a write without the up-front endpoint check still never drops a row silently).
UNWIND range(0, size($keys) - 1) AS i
MATCH (a:__START__ {__START_KEY__: $keys[i]})
MATCH (b:__END__ {__END_KEY__: $ends[i]})
MERGE (a)-[r:__TYPE__ __RELKEY__]->(b)
__SET__
RETURN count(*) AS written
