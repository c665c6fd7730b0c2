// One node's properties by key.
MATCH (n:__LABEL__ {__KEY__: $key})
RETURN properties(n) AS props
