// All relationships of a type between two labels as one record of columns: `c0` the start keys, `c1` the
// end keys, then the relationship properties in model order (__RCOLUMNS__ is `, [x IN rs | x[2].p] AS c2`, …;
// `toString(x[2].p)` for a date or datetime, the ISO text the port gives).
MATCH (a:__START__)-[r:__TYPE__]->(b:__END__)
WITH collect([a.__START_KEY__, b.__END_KEY__, r]) AS rs
RETURN [x IN rs | x[0]] AS c0, [x IN rs | x[1]] AS c1__RCOLUMNS__
