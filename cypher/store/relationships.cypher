// All relationships of a type between two labels as one record: `rows`, each [start key, end key,
// relationship properties in model order].
MATCH (a:__START__)-[r:__TYPE__]->(b:__END__)
RETURN collect([a.__START_KEY__, b.__END_KEY____RCOLUMNS__]) AS rows
