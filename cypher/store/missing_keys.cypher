// Which of the given keys have no node (used to refuse relationships to unknown endpoints).
UNWIND $keys AS k
OPTIONAL MATCH (n:__LABEL__ {__KEY__: k})
WITH k, n
WHERE n IS NULL
RETURN k
