// One store metadata value by name (pseudonym-key fingerprint, import runs); none when unset.
MATCH (m:NetwerkMeta {name: $name})
RETURN m.value AS value
