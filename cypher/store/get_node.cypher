// One node's properties by key (dates as native values: the adapter gives them back as ISO text).
MATCH (n:__LABEL__ {__KEY__: $key})
RETURN properties(n) AS props
