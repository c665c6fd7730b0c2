// Create or update nodes by key and, in the same statement, per edge a relationship from each node to an
// existing node (ingest: a signal, its AT and its IN in one pass, as LOAD CSV does, instead of a pass per
// relationship type that looks every node up again). The adapter puts one cypher/store/upsert_node_edge.cypher
// per edge below the SET and returns per edge how many rows found their end node: it rolls the batch back
// when that is fewer than the rows with an end key it sent.
UNWIND $rows AS row
MERGE (n:__LABEL__ {__KEY__: row.key})
__SET__
WITH n, row
__EDGES__
RETURN __COUNTS__
