// Create or update relationships between existing nodes, one batch per call.
// __RELKEY__ is the relationship's key map from the domain model (e.g. {start_date: row.key.start_date}).
UNWIND $rows AS row
MATCH (a:__START__ {__START_KEY__: row.start})
MATCH (b:__END__ {__END_KEY__: row.end})
MERGE (a)-[r:__TYPE__ __RELKEY__]->(b)
SET r += row.props
