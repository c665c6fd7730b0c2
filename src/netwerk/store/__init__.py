"""Storage port and adapters. Use :func:`open_store` to get the store a user configured."""

from __future__ import annotations

import os
from pathlib import Path

from netwerk.store.base import GraphStore, StoreError

__all__ = ["DEFAULT_STORE", "GraphStore", "StoreError", "is_neo4j_uri", "open_store"]

DEFAULT_STORE = "./netwerk-data"
#: The file that makes a folder an embedded store (see :class:`netwerk.store.embedded.EmbeddedStore`).
EMBEDDED_FILE = "graph.sqlite"
_NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def is_neo4j_uri(spec: str) -> bool:
    return spec.startswith(_NEO4J_SCHEMES)


def open_store(spec: str | Path | None = None, *, create: bool = False) -> GraphStore:
    """Open the store named by ``spec``, else ``$NETWERK_STORE``, else ``./netwerk-data``.

    A ``neo4j://`` or ``bolt://`` URI opens Neo4j with ``NETWERK_NEO4J_USER``,
    ``NETWERK_NEO4J_PASSWORD`` and ``NETWERK_NEO4J_DATABASE``; anything else is a folder for the
    embedded store. Only writers that fill a store (ingest, the gebieden import, the demo) pass
    ``create=True``: a read on a folder without a store raises :class:`StoreError` instead of silently
    creating an empty one (a typo in ``--store`` would otherwise show "0 hotspots").
    """
    spec = str(spec or os.environ.get("NETWERK_STORE") or DEFAULT_STORE)
    if is_neo4j_uri(spec):
        from netwerk.store.neo4j import Neo4jStore

        return Neo4jStore(
            spec,
            user=os.environ.get("NETWERK_NEO4J_USER") or None,
            password=os.environ.get("NETWERK_NEO4J_PASSWORD") or None,
            database=os.environ.get("NETWERK_NEO4J_DATABASE") or None,
        )
    if "://" in spec:
        raise StoreError(f"onbekend soort opslag {spec!r}: gebruik een map, neo4j://… of bolt://…")
    from netwerk.store.embedded import EmbeddedStore

    folder = Path(spec)
    if not create and not (folder / EMBEDDED_FILE).is_file():
        raise StoreError(f"er is geen opslag in {folder}: controleer --store (of NETWERK_STORE), of lees eerst "
                         "gegevens in met `netwerk ingest MAP --store " + str(folder) + "`")
    return EmbeddedStore(folder)
