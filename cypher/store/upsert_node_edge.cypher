// One edge of cypher/store/upsert_node_edges.cypher: (n)-[:TYPE]->(the existing END node whose key is row i of
// the end parameter's list); a row without that key (null) matches nothing and writes no relationship.
// CREATE where the relationship is absent instead of MERGE (20 % faster on ingest): the SET above has locked
// n for this transaction, so no other one adds the same relationship between the check and the CREATE, and a
// later row of this batch sees what an earlier one created.
CALL (n, i) {
  MATCH (b:__END__ {__END_KEY__: $__END_PARAM__[i]})
  CALL (n, b) {
    WITH * WHERE NOT EXISTS { (n)-[:__TYPE__]->(b) }
    CREATE (n)-[:__TYPE__]->(b)
  }
  RETURN count(*) AS __END_PARAM__
}
