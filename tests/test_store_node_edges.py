"""upsert_node_edge_columns on both stores: nodes and their property-less relationships written together per
batch (what ingest writes for addresses and signals), the same graph as separate writes, and a batch with an
unknown end node rolled back and reported, never written in part."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from netwerk.store.base import GraphStore, StoreError
from netwerk.store.embedded import EmbeddedStore


def _base(st: GraphStore) -> None:
    st.upsert_nodes("Area", [{"area_code": "BU1", "kind": "buurt"}])
    st.upsert_nodes("Address", [{"address_id": "A1"}, {"address_id": "A2"}])


def _signals(ends: list[str | None]) -> dict[str, list]:
    n = len(ends)
    return {"signal_id": [f"S{i}" for i in range(n)], "reported_at": ["2024-01-01T10:00:00"] * n,
            "category": ["Overlast"] * n, "status": [None] * n}


def test_nodes_and_edges_in_one_write(store: GraphStore) -> None:
    _base(store)
    ends = ["A1", None, "A2"]
    written = store.upsert_node_edge_columns(
        "Signal", _signals(ends), [("AT", "Address", ends), ("IN", "Area", ["BU1", "BU1", None])], batch_size=2)
    assert written == 3
    assert store.counts()["nodes"]["Signal"] == 3
    at = store.relationships_df("AT", "Signal", "Address")
    assert sorted(zip(at["start"], at["end"], strict=True)) == [("S0", "A1"), ("S2", "A2")]
    inn = store.relationships_df("IN", "Signal", "Area")
    assert sorted(inn["start"]) == ["S0", "S1"]
    node = store.get_node("Signal", "S1") or {}
    assert (node["reported_at"], node["category"], node["status"]) == ("2024-01-01T10:00:00", "Overlast", None)
    # idempotent, and a missing value never overwrites a stored one
    store.upsert_node_edge_columns(
        "Signal", {"signal_id": ["S1"], "category": [None]}, [("AT", "Address", ["A1"])])
    assert store.get_node("Signal", "S1")["category"] == "Overlast"  # type: ignore[index]
    assert store.counts()["relationships"]["AT"] == 3


def test_a_relationship_is_written_once_whatever_the_batches(store: GraphStore) -> None:
    """The same node and end key in one batch, in batches written at once (Neo4j runs two), and with no
    property to set: one relationship each (Neo4j creates it only where absent, under the node's lock)."""
    _base(store)
    keys = ["S0", "S1"] * 20
    ends = ["A1", "A2"] * 20
    store.upsert_node_edge_columns("Signal", {"signal_id": keys, "category": ["Overlast"] * 40},
                                   [("AT", "Address", ends), ("IN", "Area", ["BU1"] * 40)], batch_size=4)
    store.upsert_node_edge_columns("Signal", {"signal_id": keys}, [("AT", "Address", ends)], batch_size=1)
    at = store.relationships_df("AT", "Signal", "Address")
    assert sorted(zip(at["start"], at["end"], strict=True)) == [("S0", "A1"), ("S1", "A2")]
    assert sorted(store.relationships_df("IN", "Signal", "Area")["start"]) == ["S0", "S1"]


def test_unknown_end_rolls_the_batch_back(store: GraphStore) -> None:
    _base(store)
    ends = ["A1", "A9"]
    with pytest.raises(StoreError, match=r"AT: .*(A9|1 van 2).*deze batch is niet geschreven"):
        store.upsert_node_edge_columns(
            "Signal", _signals(ends), [("AT", "Address", ends)])
    assert store.counts()["nodes"].get("Signal", 0) == 0
    assert store.counts()["relationships"].get("AT", 0) == 0


def test_relationships_with_properties_are_refused(store: GraphStore) -> None:
    with pytest.raises(StoreError, match="INVOLVES"):
        store.upsert_node_edge_columns(
            "Signal", _signals([None]), [("INVOLVES", "Person", [None])])


@pytest.mark.neo4j
def test_neo4j_runs_two_batches_at_once_and_starts_none_after_a_failure(neo4j_store: GraphStore) -> None:
    lock = threading.Lock()
    running, most, started = [0], [0], []

    def batch(i: int, fail: bool = False) -> Callable[[], None]:
        def write() -> None:
            with lock:
                started.append(i)
                running[0] += 1
                most[0] = max(most[0], running[0])
            time.sleep(0.05)
            with lock:
                running[0] -= 1
            if fail:
                raise StoreError(f"batch {i} mislukt")
        return write

    neo4j_store._run_batches(batch(i) for i in range(6))
    assert sorted(started) == list(range(6)) and most[0] == 2  # every batch, two at a time
    started.clear()
    with pytest.raises(StoreError, match="batch 1 mislukt"):
        neo4j_store._run_batches(batch(i, fail=i == 1) for i in range(20))
    assert {0, 1} <= set(started) and len(started) < 20  # the later batches never started


def test_embedded_checks_an_end_node_again_after_a_delete(tmp_path: Path) -> None:
    """The embedded store remembers the end nodes it found (a large load looks each up once): a delete, by
    another connection or by its own, must make it look again."""
    first = EmbeddedStore(tmp_path / "s")
    _base(first)
    first.upsert_node_edge_columns("Signal", _signals(["A1", "A2"]), [("AT", "Address", ["A1", "A2"])])
    other = EmbeddedStore(tmp_path / "s")
    other.delete_node("Address", "A1")  # committed by another connection
    other.close()
    first.delete_node("Address", "A2")
    for end in ("A1", "A2"):
        with pytest.raises(StoreError, match=end):
            first.upsert_node_edge_columns("Signal", {"signal_id": ["S9"]}, [("AT", "Address", [end])])
        with pytest.raises(StoreError, match=end):
            first.upsert_relationship_columns("AT", {"start": ["S0"], "end": [end]}, check_endpoints=False)
    assert first.counts()["relationships"].get("AT", 0) == 0
    first.close()
