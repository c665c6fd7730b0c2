"""The domain model is declared once: schema file, embedded tables and styling derive from it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from netwerk import cypher
from netwerk.model import MODEL, Model, ModelError, NodeType, RelType
from netwerk.store.embedded import EmbeddedStore
from netwerk.style import edge_style, node_style


def test_schema_file_is_generated_from_the_model() -> None:
    path = cypher.CYPHER_DIR / "schema" / "schema.cypher"
    assert path.read_text(encoding="utf-8") == cypher.schema_statements(), (
        "cypher/schema/schema.cypher is out of date: run `netwerk schema --write`"
    )
    for nt in MODEL.nodes.values():
        assert f"FOR (n:{nt.label}) REQUIRE n.{nt.key} IS UNIQUE" in path.read_text()


def test_embedded_tables_follow_the_model(tmp_path: Path) -> None:
    EmbeddedStore(tmp_path).close()
    conn = sqlite3.connect(tmp_path / "graph.sqlite")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    model_tables = {f"n_{label}" for label in MODEL.nodes} | {f"r_{t}" for t in MODEL.relationships}
    assert tables == model_tables | {"netwerk_meta"}  # + the store's own metadata (key fingerprint, import runs)
    for nt in MODEL.nodes.values():
        cols = [r[1] for r in conn.execute(f'PRAGMA table_info("n_{nt.label}")')]
        assert cols == list(nt.properties)
    for rt in MODEL.relationships.values():
        cols = [r[1] for r in conn.execute(f'PRAGMA table_info("r_{rt.type}")')]
        assert cols == ["start_label", "start", "end_label", "end", *rt.properties]


def test_new_model_property_becomes_a_column_on_reopen(tmp_path: Path) -> None:
    EmbeddedStore(tmp_path).close()
    person = MODEL.node("Person")
    grown = Model(
        [*(n for n in MODEL.nodes.values() if n.label != "Person"),
         NodeType("Person", "person_id", {**person.properties, "nickname": "str"})],
        MODEL.relationships.values(),
    )
    st = EmbeddedStore(tmp_path, model=grown)
    st.upsert_nodes("Person", [{"person_id": "p", "nickname": "x"}])
    assert st.get_node("Person", "p")["nickname"] == "x"  # type: ignore[index]
    st.close()


def test_styling_covers_every_label_and_type() -> None:
    for label in MODEL.nodes:
        style = node_style(label)
        assert style["color"].startswith("#") and style["caption"]
    for t in MODEL.relationships:
        assert edge_style(t)["title"]
    assert len({node_style(label)["color"] for label in MODEL.nodes}) == len(MODEL.nodes)


def test_invalid_models_fail_early() -> None:
    with pytest.raises(ModelError, match="unknown label"):
        Model([NodeType("A", "id", {"id": "str"})], [RelType("R", (("A", "B"),))])
    with pytest.raises(ModelError, match="invalid type"):
        Model([NodeType("A", "id", {"id": "str", "x": "money"})], [])
    with pytest.raises(ModelError, match="lacks its key"):
        Model([NodeType("A", "id", {"x": "str"})], [])
