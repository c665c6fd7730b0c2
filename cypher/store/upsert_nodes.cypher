// Create or update nodes by key, one batch per call. __LABEL__/__KEY__ come from the domain model.
// __SET__ is `SET n.p = coalesce(row.props.p, n.p), …` for the properties in the batch: a missing value
// never overwrites, as with `SET n += row.props`, but the planner sees which properties are written (no
// Eager, and about a fifth of the store accesses per row of setting a map). The ISO text of a date or
// datetime is stored as a native value: `coalesce(date(row.props.p), n.p)`, `localdatetime(…)`.
UNWIND $rows AS row
MERGE (n:__LABEL__ {__KEY__: row.key})
__SET__
