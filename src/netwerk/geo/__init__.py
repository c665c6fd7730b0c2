"""Geography of any Dutch municipality: coordinates (RD/WGS84), areas, assignment, detection, labels.

Modules: :mod:`~netwerk.geo.coords` (pyproj RD New ↔ WGS84, plausibility), :mod:`~netwerk.geo.areas`
(:class:`AreaSet`, area files, the store's areas), :mod:`~netwerk.geo.national` (built-in CBS fallback),
:mod:`~netwerk.geo.assign` (vectorised point-in-area), :mod:`~netwerk.geo.detect` (which municipality),
:mod:`~netwerk.geo.labels` (readable place names, safe file names). Method: docs/geografie.md.
"""
