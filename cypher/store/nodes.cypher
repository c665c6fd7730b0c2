// The nodes of a label that satisfy __WHERE__ as one record of columns `c0`, `c1`, … (__COLUMNS__ is
// `[x IN ns | x.p] AS c0, …` in the requested property order; `toString(x.p)` for a date or datetime, the
// ISO text the port gives): one list per property, nulls kept, so the lists stay aligned. A few long lists
// decode far faster than one record (or one row list) per node.
// __WHERE__ is `true`, a key range (`n.key >= $lo AND n.key < $hi`: a range seek on the key constraint's
// index, so parts of a label can be read at once) and/or a period on the time index, on native values
// (`n.t >= localdatetime($since) AND n.t < localdatetime($before)`, `date(…)` for a date; an open end is
// left out, `n.t IS NOT NULL` without a start: nodes without a time value are left out).
MATCH (n:__LABEL__)
WHERE __WHERE__
WITH collect(n) AS ns
RETURN __COLUMNS__
