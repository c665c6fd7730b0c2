"""The embedded store's Arrow read gives exactly the frames of its sqlite3 read (issue 15)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netwerk.frames import Frames
from netwerk.store import arrowread
from netwerk.store.embedded import EmbeddedStore

SQL = "SELECT k, t, n, f FROM t WHERE k >= ? ORDER BY k"
COLUMNS = ["k", "t", "n", "f"]


def _table(path: Path, rows: list[tuple[object, ...]]) -> Path:
    db = path / "t.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (k TEXT PRIMARY KEY NOT NULL, t TEXT, n INTEGER, f REAL)")
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()
    return db


def _sqlite3(db: Path) -> pd.DataFrame:
    with sqlite3.connect(db) as conn:
        return pd.DataFrame(conn.execute(SQL, ("",)).fetchall(), columns=COLUMNS, dtype=object)


def _same(arrow: pd.DataFrame, rows: pd.DataFrame) -> None:
    """Equal as the store's callers see them: every value, None for missing (NaN for reals)."""
    assert list(arrow.columns) == list(rows.columns) and len(arrow) == len(rows)
    for c in arrow.columns:
        a, r = arrow[c].to_numpy(), rows[c].to_numpy()
        if c == "f":
            np.testing.assert_array_equal(a.astype(float), pd.to_numeric(rows[c]).to_numpy(dtype=float))
            continue
        assert arrow[c].dtype == object
        assert [type(v) for v in a] == [type(v) for v in r]
        assert list(a) == list(r)


def test_values_and_missing_values_as_sqlite3_gives_them(tmp_path: Path) -> None:
    rows = [
        (f"k{i:05d}", ["Dorpsstraat", "Hoofdweg", "Kerkstraat", None][i % 4], None if i % 7 == 0 else i * 2**40,
         None if i % 5 == 0 else i / 3)
        for i in range(3_000)
    ] + [("z-é", "Café ‘t Hoekje ☕", 2**62, -0.0)]
    db = _table(tmp_path, rows)
    arrow = arrowread.read_frame(db, SQL, ("",), COLUMNS, numeric=["n", "f"])
    assert arrow is not None
    _same(arrow, _sqlite3(db))
    shared = arrow["t"].to_numpy()  # few distinct values: one string object per value
    assert shared[1] is shared[5]


def test_a_column_missing_in_its_first_rows_is_typed_by_its_later_ones(tmp_path: Path) -> None:
    rows = [(f"k{i:06d}", None, None, None) for i in range(70_000)] + [("zz", "laat", 1, 1.5)]
    db = _table(tmp_path, rows)
    arrow = arrowread.read_frame(db, SQL, ("",), COLUMNS)
    assert arrow is not None
    _same(arrow, _sqlite3(db))


def test_a_numeric_column_holding_text_is_read_by_the_caller(tmp_path: Path) -> None:
    db = _table(tmp_path, [("a", "x", 1, 1.0), ("b", "y", "geen getal", 2.0)])  # SQLite keeps text in INTEGER
    assert arrowread.read_frame(db, SQL, ("",), COLUMNS, numeric=["n", "f"]) is None
    store_like = _sqlite3(db)
    assert store_like["n"].tolist() == [1, "geen getal"]


def test_empty_result(tmp_path: Path) -> None:
    db = _table(tmp_path, [("a", "x", 1, 1.0)])
    arrow = arrowread.read_frame(db, SQL, ("b",), COLUMNS)
    assert arrow is not None and list(arrow.columns) == COLUMNS and len(arrow) == 0


def test_store_projection_is_the_same_with_and_without_arrow(
    town_store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole projection of the synthetic town, read through Arrow and row by row."""
    assert arrowread.available()
    store = EmbeddedStore(town_store_path)
    try:
        with_arrow = Frames.from_store(store)
        monkeypatch.setattr(arrowread, "adbc", None)
        without = Frames.from_store(store)
    finally:
        store.close()
    assert len(with_arrow.signals) > 1000
    for name in Frames.__dataclass_fields__:
        pd.testing.assert_frame_equal(getattr(with_arrow, name), getattr(without, name), obj=name)


def _other_process_can_write(db: Path) -> bool:
    """Whether another process gets SQLite's write lock on ``db`` at once."""
    probe = (f"import sqlite3\nc = sqlite3.connect({str(db)!r}, timeout=0, isolation_level=None)\n"
             "try:\n    c.execute('BEGIN IMMEDIATE')\nexcept sqlite3.OperationalError:\n    raise SystemExit(1)")
    return subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0


def test_an_arrow_read_keeps_the_write_lock(tmp_path: Path) -> None:
    """The driver's own SQLite closing the file would drop this process's locks on it (POSIX record locks
    belong to the process): measured before the guard, another process then took the write lock in the middle
    of our transaction. A frame read during a transaction is read with sqlite3 (its own rows included)."""
    store = EmbeddedStore(tmp_path / "s")
    store.upsert_nodes("Area", [{"area_code": "BU1", "kind": "buurt"}])
    db = store.db_file
    try:
        with store._transaction():
            store.conn.execute("INSERT INTO n_Area (area_code, kind) VALUES ('BU2', 'buurt')")
            assert not _other_process_can_write(db)
            assert sorted(store.nodes_df("Area")["area_code"]) == ["BU1", "BU2"]
            assert not _other_process_can_write(db)
        assert arrowread.read_frame(db, "SELECT area_code FROM n_Area", (), ["area_code"]) is not None
        assert _other_process_can_write(db)
    finally:
        store.close()


def test_a_transaction_begins_after_the_running_arrow_read(tmp_path: Path) -> None:
    db = _table(tmp_path, [("a", "x", 1, 1.0)])
    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    began = threading.Event()
    with arrowread._turn() as free:
        assert free
        writer = threading.Thread(target=lambda: (arrowread.begin(conn), began.set()))
        writer.start()
        assert not began.wait(0.3)  # waits for the read
        with arrowread._turn() as second:
            assert not second  # a read that starts now does not overtake the waiting transaction
    writer.join(5)
    assert began.is_set() and conn.in_transaction
    conn.execute("ROLLBACK")
    conn.close()
