"""The storage contract: one suite, run against the embedded store and real Neo4j (``store`` fixture)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from netwerk.model import MODEL, ModelError
from netwerk.store import GraphStore, StoreError
from netwerk.store.embedded import EmbeddedStore

N_PERSONS, N_ADDRESSES, N_SIGNALS = 4_000, 2_000, 4_000  # 10k nodes
# 20k relationships: 8k INVOLVES, 4k AT, 8k REGISTERED_AT


def _nodes() -> dict[str, list[dict]]:
    return {
        "Person": [
            {"person_id": f"P{i:05d}", "birth_year": 1950 + i % 60, "gender": "MV"[i % 2]} for i in range(N_PERSONS)
        ],
        "Address": [
            {
                "address_id": f"A{i:05d}",
                "street": "Hoofdstraat",
                "house_number": i + 1,
                "lat": 53.14 + i * 1e-5,
                "lon": 7.03,
                "purpose": "woonfunctie",
                "floor_area_m2": 40.0 + i % 100,
            }
            for i in range(N_ADDRESSES)
        ],
        "Signal": [
            {
                "signal_id": f"S{i:05d}",
                "reported_at": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00",
                "category": "Woonoverlast",
                "domain": "woon",
            }
            for i in range(N_SIGNALS)
        ],
    }


def _rels() -> dict[str, list[dict]]:
    return {
        "INVOLVES": [
            {
                "start": f"S{i % N_SIGNALS:05d}",
                "end": f"P{(i * 7 + i // N_SIGNALS) % N_PERSONS:05d}",
                "role": "betrokkene",
            }
            for i in range(2 * N_SIGNALS)
        ],
        "AT": [{"start": f"S{i:05d}", "end": f"A{i % N_ADDRESSES:05d}"} for i in range(N_SIGNALS)],
        "REGISTERED_AT": [
            {
                "start": f"P{i % N_PERSONS:05d}",
                "end": f"A{(i * 3) % N_ADDRESSES:05d}",
                "start_date": f"{2010 + i // N_PERSONS}-01-01",
                "end_date": None if i // N_PERSONS else "2012-12-31",
            }
            for i in range(2 * N_PERSONS)
        ],
    }


def _load(store: GraphStore) -> None:
    for label, rows in _nodes().items():
        store.upsert_nodes(label, rows)
    for rel_type, rows in _rels().items():
        store.upsert_relationships(rel_type, rows)


def _projections(store: GraphStore) -> dict[str, pd.DataFrame]:
    out = {label: store.nodes_df(label) for label in ("Person", "Address", "Signal")}
    out.update({t: store.relationships_df(t) for t in ("INVOLVES", "AT", "REGISTERED_AT")})
    return out


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The projections of a fresh embedded store holding the contract data set."""
    st = EmbeddedStore(tmp_path_factory.mktemp("ref"))
    _load(st)
    proj = _projections(st)
    st.close()
    return proj


def test_bulk_write_reads_back_identical_projections(store: GraphStore, reference: dict) -> None:
    _load(store)
    counts = store.counts()
    assert counts["nodes"]["Person"] == N_PERSONS
    assert sum(counts["nodes"].values()) == 10_000
    assert sum(counts["relationships"].values()) == 20_000
    got = _projections(store)
    for name, df in reference.items():
        assert_frame_equal(got[name], df, check_dtype=True, obj=name)


def _as_columns(rows: list[dict]) -> dict[str, list]:
    names = dict.fromkeys(k for r in rows for k in r)
    return {k: [r.get(k) for r in rows] for k in names}


def test_writing_columns_equals_writing_rows(store: GraphStore, reference: dict) -> None:
    """The columnar writes (ingest's path) give the projections of the row writes, in batches and again."""
    for _ in range(2):
        for label, rows in _nodes().items():
            assert store.upsert_node_columns(label, _as_columns(rows), batch_size=1_500) == len(rows)
        for rel_type, rows in _rels().items():
            assert store.upsert_relationship_columns(rel_type, _as_columns(rows), batch_size=1_500) == len(rows)
    assert sum(store.counts()["relationships"].values()) == 20_000
    got = _projections(store)
    for name, df in reference.items():
        assert_frame_equal(got[name], df, check_dtype=True, obj=name)
    store.upsert_node_columns("Person", {"person_id": ["P00001"], "gender": ["X"], "birth_year": [None]})
    node = store.get_node("Person", "P00001")
    assert node is not None and node["gender"] == "X" and node["birth_year"] == 1951  # None never overwrites
    # a key twice in one write, in different batches: the later row wins, as with rows
    store.upsert_node_columns("Person", {"person_id": ["P00002"] * 4, "gender": ["A", "B", "C", "D"]}, batch_size=1)
    node = store.get_node("Person", "P00002")
    assert node is not None and node["gender"] == "D"


def test_writes_from_the_writer_thread_reach_the_store(store: GraphStore) -> None:
    """Ingest writes on a thread of its own through ``store.writer()``; the store sees them and its version moves
    (caches of analysis results are keyed by it)."""
    store.upsert_nodes("Person", [{"person_id": "p0"}])
    before = store.version()
    with store.writer() as side:
        assert side is not None
        worker = threading.Thread(target=side.upsert_node_columns, args=("Person", {"person_id": ["p1", "p2"]}))
        worker.start()
        worker.join()
        assert store.missing_keys("Person", ["p0", "p1", "p2", "p3"]) == ["p3"]
    assert store.version() != before
    assert store.counts()["nodes"]["Person"] == 3


def test_upsert_is_idempotent_and_updates_by_key(store: GraphStore) -> None:
    _load(store)
    before = (store.counts(), _projections(store))
    _load(store)
    after = (store.counts(), _projections(store))
    assert before[0] == after[0]
    for name in before[1]:
        assert_frame_equal(before[1][name], after[1][name], obj=name)
    store.upsert_nodes("Person", [{"person_id": "P00001", "gender": "X"}])
    node = store.get_node("Person", "P00001")
    assert node is not None
    assert node["gender"] == "X"
    assert node["birth_year"] == 1951  # untouched: None/absent never overwrites
    store.upsert_relationships(
        "REGISTERED_AT", [{"start": "P00001", "end": "A00003", "start_date": "2010-01-01", "end_date": "2013-01-01"}]
    )
    regs = store.relationships_df("REGISTERED_AT")
    mine = regs[(regs.start == "P00001") & (regs.start_date == "2010-01-01")]
    assert list(mine.end_date) == ["2013-01-01"]
    assert store.counts()["relationships"]["REGISTERED_AT"] == 2 * N_PERSONS


def test_get_node_types_and_missing(store: GraphStore) -> None:
    store.upsert_nodes("Address", [{"address_id": "A1", "house_number": 12, "floor_area_m2": 55.5, "street": "Markt"}])
    node = store.get_node("Address", "A1")
    assert node == {**dict.fromkeys(MODEL.node("Address").properties), **node}
    assert node["house_number"] == 12 and node["floor_area_m2"] == 55.5 and node["street"] == "Markt"
    assert store.get_node("Address", "nope") is None


def test_missing_values_read_as_none_in_text_and_nan_in_numbers(store: GraphStore) -> None:
    store.upsert_nodes("Address", [{"address_id": "A1", "street": "Markt"}, {"address_id": "A2", "postcode": "9671AA"}])
    df = store.nodes_df("Address")
    assert df["street"].tolist() == ["Markt", None] and df["postcode"].tolist() == [None, "9671AA"]
    assert df["city"].tolist() == [None, None] and df["city"].dtype == object
    assert df["floor_area_m2"].isna().all() and df["floor_area_m2"].dtype == "float64"
    assert df["house_number"].isna().all() and str(df["house_number"].dtype) == "Int64"


@pytest.mark.parametrize(
    ("label", "rows", "message"),
    [
        ("Persoon", [{"person_id": "x"}], "onbekend label 'Persoon'"),
        ("Person", [{"birth_year": 2000}], "sleutel 'person_id' ontbreekt"),
        ("Person", [{"person_id": "x", "birth_year": "2000"}], "'birth_year' moet van type int"),
        ("Signal", [{"signal_id": "s", "reported_at": "gisteren"}], "'reported_at' moet van type datetime"),
        ("Person", [{"person_id": "ok"}, {"person_id": "x", "shoe_size": 44}], "onbekende eigenschap 'shoe_size'"),
    ],
)
def test_bad_node_input_is_refused_and_writes_nothing(store: GraphStore, label: str, rows: list, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        store.upsert_nodes(label, rows)
    assert sum(store.counts()["nodes"].values()) == 0


@pytest.mark.parametrize(
    ("label", "columns", "message"),
    [
        ("Person", {"birth_year": [2000]}, "sleutel 'person_id' ontbreekt"),
        ("Person", {"person_id": ["x", "y"], "birth_year": [1990, "2000"]}, "rij 2: eigenschap 'birth_year' moet"),
        ("Person", {"person_id": ["ok"], "shoe_size": [44]}, "onbekende eigenschap 'shoe_size'"),
        ("Person", {"person_id": ["a", "b"], "gender": ["M"]}, "ongelijke lengte"),
    ],
)
def test_bad_column_input_is_refused_and_writes_nothing(store: GraphStore, label: str, columns: dict,
                                                        message: str) -> None:
    with pytest.raises(ModelError, match=message):
        store.upsert_node_columns(label, columns)
    store.upsert_nodes("Signal", [{"signal_id": "s1"}])
    with pytest.raises(StoreError, match=r"onbekende Person-sleutel.*p2"):
        store.upsert_relationship_columns("INVOLVES", {"start": ["s1"], "end": ["p2"]})
    assert store.counts()["nodes"] == {**store.counts()["nodes"], "Person": 0}
    assert sum(store.counts()["relationships"].values()) == 0


def test_bad_relationship_input_is_refused_and_writes_nothing(store: GraphStore) -> None:
    store.upsert_nodes("Signal", [{"signal_id": "s1"}])
    store.upsert_nodes("Person", [{"person_id": "p1"}])
    with pytest.raises(StoreError, match=r"onbekende Person-sleutel.*p2"):
        store.upsert_relationships("INVOLVES", [{"start": "s1", "end": "p1"}, {"start": "s1", "end": "p2"}])
    with pytest.raises(ModelError, match="onbekend relatietype 'KNOWS'"):
        store.upsert_relationships("KNOWS", [{"start": "s1", "end": "p1"}])
    with pytest.raises(ModelError, match="sleuteleigenschap 'start_date' ontbreekt"):
        store.upsert_relationships("REGISTERED_AT", [{"start": "p1", "end": "a1"}])
    with pytest.raises(ModelError, match="niet toegestaan"):
        store.upsert_relationships("CONCERNS", [{"start": "c", "end": "s1"}], end_label="Signal")
    assert sum(store.counts()["relationships"].values()) == 0


def test_trusted_relationship_writes_still_refuse_missing_endpoints(store: GraphStore) -> None:
    store.upsert_nodes("Signal", [{"signal_id": "s1"}])
    store.upsert_nodes("Person", [{"person_id": "p1"}])
    with pytest.raises(StoreError, match="onbekend"):
        store.upsert_relationships(
            "INVOLVES", [{"start": "s1", "end": "p1"}, {"start": "s1", "end": "p2"}], check_endpoints=False
        )
    assert store.counts()["relationships"]["INVOLVES"] == 0
    store.upsert_relationships("INVOLVES", [{"start": "s1", "end": "p1"}], check_endpoints=False)
    assert store.counts()["relationships"]["INVOLVES"] == 1
    store.upsert_nodes("Signal", [{"signal_id": "s2"}])
    with pytest.raises(StoreError, match="onbekend"):  # per batch: the first (s2 -> p1) lands, the second not
        store.upsert_relationship_columns("INVOLVES", {"start": ["s2", "s9"], "end": ["p1", "p1"]}, batch_size=1,
                                          check_endpoints=False)
    assert store.counts()["relationships"]["INVOLVES"] == 2


def test_neighbourhood_depth_and_filters(store: GraphStore) -> None:
    store.upsert_nodes("Person", [{"person_id": p} for p in ("p1", "p2")])
    store.upsert_nodes("Address", [{"address_id": "a1"}])
    store.upsert_nodes(
        "Signal",
        [
            {"signal_id": "old", "reported_at": "2020-05-01T00:00:00"},
            {"signal_id": "new", "reported_at": "2025-05-01T00:00:00"},
        ],
    )
    store.upsert_relationships("INVOLVES", [{"start": s, "end": "p1", "role": "betrokkene"} for s in ("old", "new")])
    store.upsert_relationships("INVOLVES", [{"start": "new", "end": "p2", "role": "getuige"}])
    store.upsert_relationships(
        "REGISTERED_AT",
        [
            {"start": "p1", "end": "a1", "start_date": "2019-01-01", "end_date": "2019-12-31"},
            {"start": "p2", "end": "a1", "start_date": "2024-01-01"},
        ],
    )
    g1 = store.neighbourhood("Person", "p1", depth=1)
    assert set(g1) == {"Person:p1", "Signal:old", "Signal:new", "Address:a1"}
    assert g1.has_edge("Signal:new", "Person:p1")
    g2 = store.neighbourhood("Person", "p1", depth=2)
    assert "Person:p2" in g2
    recent = store.neighbourhood("Person", "p1", depth=2, since="2024-01-01")
    assert "Signal:old" not in recent
    assert not recent.has_edge("Person:p1", "Address:a1")  # registration ended in 2019
    only_signals = store.neighbourhood("Person", "p1", depth=2, types=["INVOLVES"], labels=["Signal", "Person"])
    assert set(only_signals) == {"Person:p1", "Signal:old", "Signal:new", "Person:p2"}
    with pytest.raises(ModelError):
        store.neighbourhood("Person", "p1", depth=4)
    with pytest.raises(StoreError, match="bestaat niet"):
        store.neighbourhood("Person", "nobody")


def test_networkx_projection_and_delete(store: GraphStore) -> None:
    store.upsert_nodes("Signal", [{"signal_id": "s1", "domain": "jeugd"}])
    store.upsert_nodes("Person", [{"person_id": "p1"}, {"person_id": "p2"}])
    store.upsert_relationships("INVOLVES", [{"start": "s1", "end": p, "role": "verdachte"} for p in ("p1", "p2")])
    g = store.to_networkx()
    assert isinstance(g, nx.MultiDiGraph)
    assert g.nodes["Signal:s1"]["domain"] == "jeugd"
    assert sorted(g.successors("Signal:s1")) == ["Person:p1", "Person:p2"]
    assert store.delete_node("Person", "p1") is True
    assert store.delete_node("Person", "p1") is False
    assert store.counts()["relationships"]["INVOLVES"] == 1
    assert store.get_node("Person", "p1") is None


def test_person_reads_are_audited(store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("NETWERK_AUDIT_LOG", str(log))
    monkeypatch.setenv("NETWERK_ROLE", "coordinator_jeugd")
    store.upsert_nodes("Person", [{"person_id": "p1"}])
    store.upsert_nodes("Address", [{"address_id": "a1"}])
    store.get_node("Person", "p1")
    store.get_node("Address", "a1")  # not person-level: not logged
    store.nodes_df("Person")
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(r["operation"], r["label"]) for r in records] == [("get_node", "Person"), ("nodes_df", "Person")]
    assert records[0]["keys"] == ["p1"] and records[0]["role"] == "coordinator_jeugd"


_CRASHING_WRITER = """
import os, signal, sys
from netwerk.store.embedded import EmbeddedStore
st = EmbeddedStore(sys.argv[1])
st.upsert_nodes("Person", [{"person_id": f"p{i}", "birth_year": 2001} for i in range(1000)])
st.conn.execute("BEGIN IMMEDIATE")
st.conn.executemany("INSERT INTO n_Person (person_id) VALUES (?)", [(f"half{i}",) for i in range(5000)])
os.kill(os.getpid(), signal.SIGKILL)  # dies mid-write, before COMMIT
"""


def test_embedded_store_is_durable_across_crash_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "s"
    proc = subprocess.run([sys.executable, "-c", _CRASHING_WRITER, str(path)], check=False)
    assert proc.returncode == -signal.SIGKILL
    again = EmbeddedStore(path)
    assert again.counts()["nodes"]["Person"] == 1000  # every committed row, none of the torn write
    assert again.get_node("Person", "p999")["birth_year"] == 2001  # type: ignore[index]
    assert again.get_node("Person", "half0") is None
    again.close()


def test_frames_come_in_key_order_whatever_the_write_order(store: GraphStore) -> None:
    keys = [f"P{i:03d}" for i in (5, 1, 9, 3, 7, 2)]
    store.upsert_nodes("Person", [{"person_id": k, "birth_year": 2000} for k in keys])
    store.upsert_nodes("Address", [{"address_id": a} for a in ("A2", "A1")])
    rows = [{"start": k, "end": a, "start_date": d} for k in reversed(keys) for a, d in
            (("A2", "2020-02-01"), ("A1", "2020-01-01"), ("A1", "2019-01-01"))]
    store.upsert_relationships("REGISTERED_AT", rows)
    persons = store.nodes_df("Person")
    assert list(persons["person_id"]) == sorted(keys)
    regs = store.relationships_df("REGISTERED_AT")
    order = ["start_label", "start", "end_label", "end", "start_date"]
    assert_frame_equal(regs, regs.sort_values(order).reset_index(drop=True))
    assert list(regs.head(3)[["end", "start_date"]].itertuples(index=False, name=None)) == [
        ("A1", "2019-01-01"), ("A1", "2020-01-01"), ("A2", "2020-02-01")]
    assert regs["start"].iloc[0] == "P001" and len(regs) == 18


@pytest.mark.parametrize(
    "values",
    [
        ["b", "a\x00", "a", "é", "Z", "a\x00", "aa", "😀", "e\u0301"],  # NUL at the end: numpy's unicode drops it
        ["b", None, "a", "c"],  # missing: last, as sort_values has it
        ["10", 9, "1", 2],  # not all text
        [f"P{(i * 7919) % 1000:04d}" for i in range(1000)],
    ],
)
def test_the_fast_text_sort_is_sort_values(values: list) -> None:
    from netwerk.store.base import _sorted

    df = pd.DataFrame({"a": pd.Series(values, dtype=object), "b": pd.Series(range(len(values))[::-1], dtype=object)})
    df["b"] = df["b"].astype(str)
    for cols in (["a"], ["a", "b"], ["b", "a"]):
        try:
            want = df.sort_values(cols, kind="stable")
        except TypeError:
            with pytest.raises(TypeError):
                _sorted(df, cols)
            continue
        assert_frame_equal(_sorted(df, cols), want)
