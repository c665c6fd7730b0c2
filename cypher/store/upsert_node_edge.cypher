// One edge of cypher/store/upsert_node_edges.cypher: (n)-[:TYPE]->(the existing END node whose key is row i of
// the end parameter's list); a row without that key (null) matches nothing and writes no relationship.
CALL (n, i) {
  MATCH (b:__END__ {__END_KEY__: $__END_PARAM__[i]})
  MERGE (n)-[:__TYPE__]->(b)
  RETURN count(*) AS __END_PARAM__
}
