// Delete a node and its relationships by key.
MATCH (n:__LABEL__ {__KEY__: $key})
DETACH DELETE n
RETURN count(*) AS deleted
