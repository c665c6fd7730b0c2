// Relationships touching a frontier of nodes (one hop of a neighbourhood traversal). Dates in the property
// maps are native values: the adapter gives them back as ISO text.
UNWIND $keys AS k
MATCH (n:__LABEL__ {__KEY__: k})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN k AS key, type(r) AS type, properties(r) AS props, startNode(r) = n AS outgoing,
       labels(m)[0] AS other_label, properties(m) AS other
