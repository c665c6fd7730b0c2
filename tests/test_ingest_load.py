"""Ingest of the minimal example on both backends: graph mapping, idempotency, updates by key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from conftest import pid

from netwerk.ingest import ingest_folder
from netwerk.store import GraphStore

MINIMAL = Path(__file__).resolve().parent.parent / "ingest" / "examples" / "minimal"


def _snapshot(store: GraphStore) -> dict[str, pd.DataFrame]:
    out = {f"n:{label}": store.nodes_df(label) for label in store.model.nodes}
    out.update({f"r:{t}": store.relationships_df(t) for t in store.model.relationships})
    return out


def test_minimal_maps_onto_the_graph(store: GraphStore, tmp_path: Path) -> None:
    report = ingest_folder(MINIMAL, store, rejects_path=tmp_path / "rej.csv")
    assert report.rejected == 0 and report.loaded == report.read > 0
    assert report.file("persons").delimiter == ";"
    counts = store.counts()
    assert counts["nodes"]["Signal"] == 4 and counts["nodes"]["Person"] == 4
    # buurten from addresses and signals, plus their wijk
    areas = store.nodes_df("Area").set_index("area_code")
    assert areas.loc["BU18950001", "name"] == "Zeeheldenbuurt"
    assert areas.loc["BU18950001", "wijk_code"] == "WK189500"
    assert areas.loc["WK189500", "kind"] == "wijk"
    signals = store.nodes_df("Signal").set_index("signal_id")
    assert signals.loc["S0001", "domain"] == "jeugd"
    assert signals.loc["S0002", "domain"] == "ondermijning"
    assert signals.loc["S0003", "reported_at"] == "2025-02-20T00:00:00"
    # S0002 has no buurt of its own: it comes from its address
    assert signals.loc["S0002", "buurt_code"] == "BU18950001"
    persons = store.nodes_df("Person").set_index("person_id")
    assert persons.loc[pid("P101"), "birth_year"] == 2006  # dd-mm-yyyy in a ;-file
    reported = store.relationships_df("REPORTED_BY")
    assert set(zip(reported["start"], reported["end"], strict=True)) == {
        ("S0001", "politie"), ("S0002", "woco-acantus")
    }
    within = store.relationships_df("IN", "Area", "Area")
    assert ("BU18950000", "WK189500") in set(zip(within["start"], within["end"], strict=True))
    concerns = store.relationships_df("CONCERNS")
    assert set(concerns["end"]) == {pid("P101"), "A0001"}
    assert len(store.relationships_df("HANDLED_BY")) == 1 and len(store.relationships_df("BASED_ON")) == 1


def test_double_ingest_is_idempotent(store: GraphStore, tmp_path: Path) -> None:
    ingest_folder(MINIMAL, store, rejects_path=tmp_path / "rej.csv")
    first_counts, first = store.counts(), _snapshot(store)
    report = ingest_folder(MINIMAL, store, rejects_path=tmp_path / "rej.csv")
    assert report.rejected == 0
    assert store.counts() == first_counts
    for name, df in _snapshot(store).items():
        pd.testing.assert_frame_equal(df, first[name], obj=name)


def test_updated_export_updates_rows_by_key(store: GraphStore, tmp_path: Path) -> None:
    ingest_folder(MINIMAL, store, rejects_path=tmp_path / "rej.csv")
    before = store.counts()
    upd = tmp_path / "update"
    shutil.copytree(MINIMAL, upd)
    sig = pd.read_csv(upd / "signals.csv", dtype=str, keep_default_na=False)
    sig.loc[sig["signal_id"] == "S0002", "status"] = "Afgehandeld"
    sig.to_csv(upd / "signals.csv", index=False)
    report = ingest_folder(upd, store, rejects_path=tmp_path / "rej.csv")
    assert report.rejected == 0
    assert store.counts() == before
    assert store.get_node("Signal", "S0002")["status"] == "Afgehandeld"  # type: ignore[index]


def test_references_may_point_into_the_store(store: GraphStore, tmp_path: Path) -> None:
    ingest_folder(MINIMAL, store, rejects_path=tmp_path / "rej.csv")
    later = tmp_path / "later"
    later.mkdir()
    (later / "signals.csv").write_text(
        "signal_id,reported_at,category,subcategory,address_id\nS9000,2025-04-01,Wonen,Leegstand,A0004\n"
    )
    (later / "signal_persons.csv").write_text("signal_id,person_id,role\nS9000,P103,melder\nS0001,P100,getuige\n")
    report = ingest_folder(later, store, rejects_path=tmp_path / "rej2.csv")
    assert report.rejected == 0, report.to_dict()
    involves = store.relationships_df("INVOLVES")
    assert ("S9000", pid("P103")) in set(zip(involves["start"], involves["end"], strict=True))
    assert store.get_node("Signal", "S9000")["buurt_code"] is None  # type: ignore[index]


def test_every_reference_and_edge_points_at_a_file_loaded_earlier() -> None:
    from netwerk.ingest.schema import FILES, LOAD_ORDER
    from netwerk.model import MODEL

    pos = {name: i for i, name in enumerate(LOAD_ORDER)}
    file_of = {s.label: name for name, s in FILES.items() if s.label}
    for name, spec in FILES.items():
        for col in spec.columns:
            if col.ref:
                assert pos[file_of[col.ref]] < pos[name], (name, col.name)
        for e in spec.edges:
            assert (e.start_label, e.end_label) in MODEL.rel(e.rel).endpoints, (name, e)
            assert set(e.props) <= set(MODEL.rel(e.rel).properties), (name, e)
            assert {e.start, e.end, *e.props} <= {c.name for c in spec.columns}, (name, e)


def test_a_first_load_builds_the_embedded_indexes_once_at_the_end(tmp_path: Path) -> None:
    """The embedded store drops the secondary indexes of empty tables while a first load writes (building an
    index once is cheaper than keeping it sorted row by row) and has them all again afterwards."""
    from netwerk.store.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path / "store")
    names = set(store._indexes())

    def present() -> set[str]:
        return {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")} & names

    assert present() == names and "ix_IN_end" in names and "ix_Signal_time" in names
    store.upsert_nodes("Person", [{"person_id": "p1"}])  # a table with rows keeps its index
    with store.writer():
        assert present() == names - {f"ix_{t}_end" for t in store.model.relationships} - {
            f"ix_{n.label}_time" for n in store.model.nodes.values() if n.time_property and n.label != "Person"}
    assert present() == names
    report = ingest_folder(MINIMAL, store, rejects_path=tmp_path / "rej.csv")
    assert report.loaded > 0 and present() == names
    assert store.relationships_df("IN", end_label="Area").shape[0] > 0
