// Whether the store holds any graph data besides its own metadata (a new store has no dates to convert).
MATCH (n)
WHERE NOT n:NetwerkMeta
RETURN true AS found
LIMIT 1
