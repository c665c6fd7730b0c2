// Migration of a store written by an earlier version, which kept dates as ISO text (Neo4jStore._native_dates,
// once per store): the date and datetime properties of one label or relationship type that are still text
// become native `date` / `localdatetime` values. __PATTERN__ is `(x:Label)` or `()-[x:TYPE]->()`; __TEXT__ is
// `x.p IS :: STRING NOT NULL OR …` (null is of every type: NOT NULL leaves it out); __SET__ is
// `x.p = date(x.p), x.q = localdatetime(x.q), …` for all of them (a native value stays as it is).
// In batches, in an auto-commit transaction: a run that is interrupted resumes at the next open.
MATCH __PATTERN__
WHERE __TEXT__
CALL (x) {
  SET __SET__
} IN TRANSACTIONS OF 10000 ROWS
