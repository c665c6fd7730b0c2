"""The use cases, each composed once: CLI, API, web and notebooks call these functions.

Every function takes the store, the acting :class:`~netwerk.access.Actor` (explicitly) and the query,
checks the actor's access, applies scope by datum (only domains the actor's role and purpose open),
writes one audit entry per person-level read naming the caller, and returns plain typed results.
Analysis results are cached per store version (:mod:`netwerk.services.cache`).

Modules: :mod:`~netwerk.services.hotspots`, :mod:`~netwerk.services.groups`,
:mod:`~netwerk.services.indicators` (with the review state), :mod:`~netwerk.services.agenda`,
:mod:`~netwerk.services.cases`, :mod:`~netwerk.services.network` (ego network, path, search).
"""
