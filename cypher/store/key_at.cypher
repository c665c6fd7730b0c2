// The key at rank $rank (0-based) in key order: the pivot between two key ranges of a label that are read
// at once (cypher/store/nodes.cypher). The key constraint's index gives the order without a sort.
MATCH (n:__LABEL__)
WHERE n.__KEY__ IS NOT NULL
WITH n.__KEY__ AS key
ORDER BY key
SKIP $rank
LIMIT 1
RETURN key
