// All nodes of a label as one record: `rows`, a list of value lists in model property order (a columnar
// read: one big list decodes far faster than one record per node).
MATCH (n:__LABEL__)
RETURN collect([__ROW__]) AS rows
