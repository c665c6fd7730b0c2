// Create or update nodes by key, one batch per call. __LABEL__/__KEY__ come from the domain model.
UNWIND $rows AS row
MERGE (n:__LABEL__ {__KEY__: row.key})
SET n += row.props
