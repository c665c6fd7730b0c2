// Delete every relationship, in batches, before cypher/store/clear.cypher deletes the nodes: a batch of
// 10,000 nodes that holds the buurt Areas would otherwise also delete all their IN relationships (over a
// million signals and addresses on the huge benchmark town) in one transaction, beyond Neo4j's memory pool.
MATCH ()-[r]->()
CALL (r) {
  DELETE r
} IN TRANSACTIONS OF 10000 ROWS
