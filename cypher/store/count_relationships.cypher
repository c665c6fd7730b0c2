// Number of relationships of a type.
MATCH ()-[r:__TYPE__]->()
RETURN count(r) AS n
