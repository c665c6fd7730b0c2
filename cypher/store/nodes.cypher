// All nodes of a label, one column per model property.
MATCH (n:__LABEL__)
RETURN __COLUMNS__
