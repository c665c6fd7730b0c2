"""Every Cypher file the project ships is executed on real Neo4j."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from netwerk import cypher
from netwerk.model import MODEL
from netwerk.store.base import GraphStore


def _store_templates() -> list[str]:
    return sorted(p.stem for p in (cypher.CYPHER_DIR / "store").glob("*.cypher"))


def test_store_templates_are_all_used_by_the_adapter() -> None:
    source = (Path(cypher.__file__).parent / "store" / "neo4j.py").read_text()
    for name in _store_templates():
        assert f'"store/{name}"' in source, f"cypher/store/{name}.cypher is not used by the Neo4j adapter"


@pytest.mark.neo4j
@pytest.mark.parametrize("label", sorted(MODEL.nodes))
def test_node_templates_run_for_every_label(neo4j_store: GraphStore, label: str) -> None:
    nt = MODEL.node(label)
    neo4j_store.upsert_nodes(label, [{nt.key: "k1"}, {nt.key: "k2"}])
    assert neo4j_store.get_node(label, "k1") is not None
    assert list(neo4j_store.nodes_df(label)[nt.key]) == ["k1", "k2"]
    assert neo4j_store.counts()["nodes"][label] == 2
    assert neo4j_store._missing_keys(label, ["k1", "zz"]) == ["zz"]
    assert neo4j_store.delete_node(label, "k1")


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("rel_type", "start", "end"), [(r.type, s, e) for r in MODEL.relationships.values() for s, e in r.endpoints]
)
def test_relationship_templates_run_for_every_type(
    neo4j_store: GraphStore, rel_type: str, start: str, end: str
) -> None:
    rt = MODEL.rel(rel_type)
    neo4j_store.upsert_nodes(start, [{MODEL.node(start).key: "a"}])
    if end != start:
        neo4j_store.upsert_nodes(end, [{MODEL.node(end).key: "b"}])
    b = "b" if end != start else "a"
    key = dict.fromkeys(rt.key, "2025-01-01") if rt.key != ("role",) else {"role": "eigenaar"}
    neo4j_store.upsert_relationships(rel_type, [{"start": "a", "end": b, **key}], start, end)
    df = neo4j_store.relationships_df(rel_type, start, end)
    assert list(zip(df.start, df.end, strict=True)) == [("a", b)]
    assert neo4j_store.counts()["relationships"][rel_type] == 1
    g = neo4j_store.neighbourhood(start, "a", depth=1, types=[rel_type])
    assert g.number_of_edges() == 1


@pytest.mark.neo4j
def test_schema_runs_twice_and_creates_named_constraints(neo4j_store: GraphStore) -> None:
    neo4j_store.ensure_schema()  # type: ignore[attr-defined]
    neo4j_store.ensure_schema()  # type: ignore[attr-defined]
    with neo4j_store.driver.session() as session:  # type: ignore[attr-defined]
        names = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {f"{nt.label.lower()}_{nt.key}_key" for nt in MODEL.nodes.values()} <= names


@pytest.mark.neo4j
def test_clear_template_empties_the_database(neo4j_store: GraphStore) -> None:
    neo4j_store.upsert_nodes("Person", [{"person_id": f"p{i}"} for i in range(50)])
    neo4j_store.clear()
    assert neo4j_store.counts()["nodes"]["Person"] == 0


@pytest.mark.neo4j
@pytest.mark.parametrize("label", sorted(n.label for n in MODEL.nodes.values() if n.time_property))
def test_period_template_runs_for_every_dated_label(neo4j_store: GraphStore, label: str) -> None:
    nt = MODEL.node(label)
    assert nt.time_property is not None
    kind = nt.properties[nt.time_property]
    stamp = {"date": ("2025-01-31", "2025-02-01"), "datetime": ("2025-01-31T23:59:59", "2025-02-01T00:00:00")}[kind]
    neo4j_store.upsert_nodes(label, [{nt.key: "k1", nt.time_property: stamp[0]},
                                     {nt.key: "k2", nt.time_property: stamp[1]}])
    df = neo4j_store.nodes_df(label, columns=[nt.time_property], since="2025-02-01")
    assert list(df[nt.key]) == ["k2"]


@pytest.mark.neo4j
def test_relationships_arrive_in_start_key_order(neo4j_store: GraphStore) -> None:
    """cypher/store/relationships.cypher walks the start nodes in key order (from their index), so the
    client has nothing to sort; written in reverse order here."""
    keys = [f"s{i:02d}" for i in range(30)][::-1]
    neo4j_store.upsert_nodes("Address", [{"address_id": "a1"}, {"address_id": "a2"}])
    neo4j_store.upsert_nodes("Signal", [{"signal_id": k} for k in keys])
    neo4j_store.upsert_relationships("AT", [{"start": k, "end": f"a{i % 2 + 1}"} for i, k in enumerate(keys)])
    raw = neo4j_store._relationships_df("AT", "Signal", "Address", [])  # type: ignore[attr-defined]
    assert list(raw["start"]) == sorted(keys)
    assert list(raw["end"]) == [f"a{(29 - i) % 2 + 1}" for i in range(30)]


@pytest.mark.neo4j
def test_a_large_label_is_read_in_key_ranges_at_once_with_the_same_frame(neo4j_store: GraphStore) -> None:
    rows = [{"signal_id": f"s{i:02d}", "reported_at": f"2025-01-{i % 28 + 1:02d}T10:00:00",
             **({"category": f"c{i % 3}"} if i % 4 else {})} for i in range(40)]  # every 4th without category
    neo4j_store.upsert_nodes("Signal", rows)
    whole = neo4j_store.nodes_df("Signal")
    whole_period = neo4j_store.nodes_df("Signal", since="2025-01-10", until="2025-01-20")
    neo4j_store.split_rows = 10  # type: ignore[attr-defined]  # 40 nodes: read_parts ranges
    neo4j_store.read_parts = 3  # type: ignore[attr-defined]
    ranges = neo4j_store._key_ranges("Signal")  # type: ignore[attr-defined]
    assert ranges == [(None, "s13"), ("s13", "s26"), ("s26", None)]  # pivots at ranks 13 and 26 (key_at)
    pd.testing.assert_frame_equal(neo4j_store.nodes_df("Signal"), whole)
    pd.testing.assert_frame_equal(neo4j_store.nodes_df("Signal", since="2025-01-10", until="2025-01-20"),
                                  whole_period)
    assert whole["category"].isna().sum() == 10 and len(whole_period) == sum(10 <= i % 28 + 1 <= 20 for i in range(40))
