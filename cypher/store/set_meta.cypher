// Set one store metadata value (idempotent).
MERGE (m:NetwerkMeta {name: $name})
SET m.value = $value
