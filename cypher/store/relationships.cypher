// All relationships of a type between two labels, with their endpoints' keys and properties.
MATCH (a:__START__)-[r:__TYPE__]->(b:__END__)
RETURN a.__START_KEY__ AS start, b.__END_KEY__ AS end__RCOLUMNS__
