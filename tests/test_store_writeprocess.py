"""A large load into the embedded store writes from a process of its own (issue 15, ingest speed): the same
graph as the writing thread gives, and every failure of the child comes back as a clear error."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from netwerk.ingest import ingest_folder
from netwerk.model import MODEL, ModelError
from netwerk.store import writeprocess
from netwerk.store.base import StoreError
from netwerk.store.embedded import EmbeddedStore
from netwerk.store.writeprocess import ProcessWriter


def _graph(path: Path) -> dict[str, pd.DataFrame]:
    with EmbeddedStore(path) as st:
        out = {f"n:{label}": st.nodes_df(label) for label in st.model.nodes}
        out.update({f"r:{t}": st.relationships_df(t) for t in st.model.relationships})
        return out


def _indexes(path: Path) -> set[str]:
    st = EmbeddedStore(path)
    try:
        return {r[0] for r in st.conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'ix_%'")}
    finally:
        st.close()


def test_a_large_ingest_writes_from_a_process_with_the_same_result(town: dict, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[Path] = []
    init = ProcessWriter.__init__

    def spy(self: ProcessWriter, path: Path, model: object) -> None:
        started.append(path)
        init(self, path, model)  # type: ignore[arg-type]

    monkeypatch.setattr(ProcessWriter, "__init__", spy)
    with EmbeddedStore(tmp_path / "thread") as st:
        threaded = ingest_folder(town["dir"], st, rejects_path=tmp_path / "r1.csv")
    assert started == []  # a small town: the writing thread
    monkeypatch.setattr(EmbeddedStore, "process_bytes", 0)
    with EmbeddedStore(tmp_path / "process") as st:
        report = ingest_folder(town["dir"], st, rejects_path=tmp_path / "r2.csv")
    assert started == [tmp_path / "process"]
    assert report.loaded == threaded.loaded > 10_000 and report.rejected == threaded.rejected
    one, other = _graph(tmp_path / "thread"), _graph(tmp_path / "process")
    assert one.keys() == other.keys() and sum(len(df) for df in one.values()) > 10_000
    for name, frame in one.items():
        pd.testing.assert_frame_equal(frame, other[name], obj=name)
    # the child built the secondary indexes it dropped for the load
    built = _indexes(tmp_path / "process")
    assert built == _indexes(tmp_path / "thread") and "ix_IN_end" in built


def test_a_failed_write_in_the_process_is_raised_and_stops_later_writes(tmp_path: Path) -> None:
    EmbeddedStore(tmp_path).close()
    side = ProcessWriter(tmp_path, MODEL)
    with pytest.raises(StoreError, match=r"IN: 1 onbekende Area-sleutel\(s\) als eindpunt, bijvoorbeeld WK999999"):
        try:
            side.upsert_nodes("Area", [{"area_code": "BU00000001", "kind": "buurt"}])
            side.upsert_relationship_columns("IN", {"start": ["BU00000001"], "end": ["WK999999"]}, "Area", "Area")
            side.upsert_nodes("Area", [{"area_code": "BU00000002", "kind": "buurt"}])
        finally:
            side.close()
    with EmbeddedStore(tmp_path) as st:
        assert st.nodes_df("Area")["area_code"].tolist() == ["BU00000001"]  # written before; skipped after
        assert st.counts()["relationships"]["IN"] == 0


def test_column_writes_are_checked_by_the_caller_with_the_stores_results(tmp_path: Path) -> None:
    """The parent validates column writes (the child only writes): the same counts as the store's methods,
    a bad value raises at the call itself, and the writes after it still land."""
    EmbeddedStore(tmp_path).close()
    side = ProcessWriter(tmp_path, MODEL)
    try:
        side.upsert_nodes("Area", [{"area_code": "BU00000001", "kind": "buurt"}])
        assert side.upsert_node_columns("Address", {"address_id": ["A1", "A2"], "house_number": [1, None]}) == 2
        with pytest.raises(ModelError, match=r"Signal rij 2: eigenschap 'reported_at' moet van type datetime"):
            side.upsert_node_edge_columns(
                "Signal", {"signal_id": ["S1", "S2"], "reported_at": ["2024-01-01", "gister"]},
                [("AT", "Address", ["A1", "A2"])])
        assert side.upsert_node_edge_columns(
            "Signal", {"signal_id": ["S1"], "reported_at": ["2024-01-01T10:00"]},
            [("AT", "Address", ["A1"]), ("IN", "Area", ["BU00000001"])]) == 1
        with pytest.raises(ModelError, match="onbekende eigenschap 'kleur'"):
            side.upsert_relationship_columns("AT", {"start": ["S1"], "end": ["A2"], "kleur": ["rood"]})
        assert side.upsert_relationship_columns("AT", {"start": ["S1"], "end": ["A2"]}) == 1
    finally:
        side.close()
    with EmbeddedStore(tmp_path) as st:
        assert st.nodes_df("Signal")["reported_at"].tolist() == ["2024-01-01T10:00:00"]  # canonical form
        rels = st.counts()["relationships"]
        assert (rels["AT"], rels["IN"]) == (2, 1)


def test_a_writer_process_that_stopped_is_a_clear_error(tmp_path: Path) -> None:
    side = ProcessWriter(tmp_path, MODEL)
    side._proc.kill()
    side._proc.wait()
    with pytest.raises(StoreError, match="het schrijfproces van de opslag is gestopt"):
        try:
            side.upsert_nodes("Area", [{"area_code": "BU00000001", "kind": "buurt"}])
        finally:
            side.close()


def test_without_a_child_process_the_thread_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    minimal = Path(__file__).resolve().parent.parent / "ingest" / "examples" / "minimal"
    monkeypatch.setattr(EmbeddedStore, "process_bytes", 0)
    tried: list[object] = []

    def cannot_start(*args: object, **kwargs: object) -> None:
        tried.append(args)
        raise FileNotFoundError("geen python")

    monkeypatch.setattr(writeprocess.subprocess, "Popen", cannot_start)
    with EmbeddedStore(tmp_path / "s") as st:
        report = ingest_folder(minimal, st, rejects_path=tmp_path / "r.csv")
        assert report.rejected == 0 and report.loaded == report.read > 0
        assert st.counts()["nodes"]["Signal"] == 4
    assert len(tried) == 1


def test_a_load_with_shared_transactions_commits_every_so_many_rows(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path) as reader, EmbeddedStore(tmp_path) as loader:
        with loader.loading(transaction_rows=2):
            loader.upsert_node_columns("Area", {"area_code": ["A1", "A2", "A3"]}, batch_size=1)
            assert reader.counts()["nodes"]["Area"] == 2  # the third row waits for its transaction
            with pytest.raises(StoreError, match="onbekende Area-sleutel"):  # one batch fails, alone
                loader.upsert_relationship_columns("IN", {"start": ["A3"], "end": ["X"]}, "Area", "Area")
            loader.upsert_relationship_columns("IN", {"start": ["A3"], "end": ["A1"]}, "Area", "Area")
        assert reader.counts()["nodes"]["Area"] == 3 and reader.counts()["relationships"]["IN"] == 1


def test_text_columns_travel_joined_and_come_back_the_same() -> None:
    text = [f"S{i}" for i in range(100)]
    gaps: list[str | None] = [None if i % 3 else f"é{i}\udcff" for i in range(100)]  # None, accents, escapes
    call = ("Signal", {"signal_id": text, "status": gaps, "lat": [1.5] * 100, "few": ["a", None],
                       "sep": ["a\x1fb"] * 100, "none": [None] * 100, "mixed": ["a", 1] * 50},
            [("AT", "Address", gaps)], 10)
    packed = writeprocess._packed(call)
    joined = {k for k, v in packed[1].items() if type(v) is writeprocess._Joined}
    assert joined == {"signal_id", "status", "none"}  # numbers, short and mixed columns, and text holding the
    assert type(packed[2][0][2]) is writeprocess._Joined  # separator travel as they are
    assert writeprocess._unpacked(packed) == call


def test_each_table_settles_after_the_last_file_that_writes_it(town: dict, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    settled: list[tuple[list[str], list[str], set[str]]] = []
    settle = EmbeddedStore.settle

    def spy(self: EmbeddedStore, labels: list[str], rel_types: list[str]) -> None:
        settle(self, labels, rel_types)  # the indexes of these tables exist from here on, mid-load
        names = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'ix_%'")}
        settled.append((list(labels), list(rel_types), names))

    monkeypatch.setattr(EmbeddedStore, "settle", spy)
    with EmbeddedStore(tmp_path) as st:
        ingest_folder(town["dir"], st, rejects_path=tmp_path / "r.csv")
        written = {t for t, n in {**st.counts()["nodes"], **st.counts()["relationships"]}.items() if n}
    labels = [x for call in settled for x in call[0]]
    types = [x for call in settled for x in call[1]]
    assert len(labels + types) == len(set(labels + types))  # each table once
    assert written <= set(labels + types)  # every table written is settled (some declared ones stay empty)
    signals = next(call for call in settled if "Signal" in call[0])
    assert signals[:2] == (["Area", "Signal"], ["AT", "IN", "REPORTED_BY"])  # after signals.csv, not before
    assert {"ix_Signal_time", "ix_AT_end", "ix_IN_end"} <= signals[2] and "ix_INVOLVES_end" not in signals[2]
    assert settled[-1] != signals  # later files (registrations, persons of signals...) settle later
