// One edge of cypher/store/upsert_node_edges.cypher: (n)-[:TYPE]->(the existing END node whose key is the
// row's end parameter); a row without that key (null) matches nothing and writes no relationship.
CALL (n, row) {
  MATCH (b:__END__ {__END_KEY__: row.__END_PARAM__})
  MERGE (n)-[:__TYPE__]->(b)
  RETURN count(*) AS __END_PARAM__
}
