// All relationships of a type between two labels as one record of columns: `c0` the start keys, `c1` the
// end keys, then the relationship properties in model order (__RCOLUMNS__ is `, [x IN rs | x[2].p] AS c2`, …;
// `toString(x[2].p)` for a date or datetime, the ISO text the port gives).
// The start nodes come from their key index in key order (no sort on the server: the index gives it), so the
// rows arrive sorted by start key and the client need not sort them (it checks, and sorts when not).
MATCH (a:__START__)
WHERE a.__START_KEY__ IS NOT NULL
WITH a ORDER BY a.__START_KEY__
MATCH (a)-[r:__TYPE__]->(b:__END__)
WITH collect([a.__START_KEY__, b.__END_KEY__, r]) AS rs
RETURN [x IN rs | x[0]] AS c0, [x IN rs | x[1]] AS c1__RCOLUMNS__
