// Create or update nodes by key and, in the same statement, per edge a relationship from each node to an
// existing node (ingest: a signal, its AT and its IN in one pass, as LOAD CSV does, instead of a pass per
// relationship type that looks every node up again). The batch comes as columns, as in
// cypher/store/upsert_nodes.cypher, with a list of end keys per edge. The adapter puts one
// cypher/store/upsert_node_edge.cypher per edge below the SET and returns per edge how many rows found their
// end node: it rolls the batch back when that is fewer than the rows with an end key it sent. The SET always
// writes n (without properties: its key, unchanged), which locks it for the edges' existence check.
UNWIND range(0, size($keys) - 1) AS i
MERGE (n:__LABEL__ {__KEY__: $keys[i]})
__SET__
WITH n, i
__EDGES__
RETURN __COUNTS__
