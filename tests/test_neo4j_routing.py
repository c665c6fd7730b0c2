"""The routing URI a cluster needs (``neo4j://``) works against the test server, with causal consistency.

docs/scale.md: in a Neo4j cluster the driver routes writes to the leader and reads to replicas; a store
keeps one bookmark manager so a read after a write sees that write. On the single test server the
routing table has one member, which is all this machine can verify.
"""

from __future__ import annotations

import pytest
from conftest import neo4j_uri

pytestmark = pytest.mark.neo4j


def test_routing_uri_reads_its_own_writes() -> None:
    from netwerk.store import open_store

    routed = neo4j_uri().replace("bolt://", "neo4j://", 1)
    assert routed.startswith("neo4j://")
    store = open_store(routed)
    try:
        store.clear()
        store.upsert_nodes("Partner", [{"partner_id": f"P{i}", "name": f"Partner {i}"} for i in range(50)])
        before = list(store.bookmarks.get_bookmarks())  # type: ignore[attr-defined]
        assert before, "na een schrijfactie hoort de store een bookmark te hebben"
        assert store.counts()["nodes"]["Partner"] == 50
        table = store.driver.get_server_info()  # type: ignore[attr-defined]
        assert table.address is not None
    finally:
        store.clear()
        store.close()
