// Number of nodes with a label.
MATCH (n:__LABEL__)
RETURN count(n) AS n
