// The nodes of a label whose time property lies in [$since, $before) as one record: `rows`, a list of
// value lists in the requested property order. ISO text compares as text, so this is a range seek on the
// time index (cypher/schema/schema.cypher); nodes without a time value are left out.
MATCH (n:__LABEL__)
WHERE n.__TIME__ >= $since AND n.__TIME__ < $before
RETURN collect([__ROW__]) AS rows
