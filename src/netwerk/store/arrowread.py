"""Query results of the embedded store read as columns through Arrow (ADBC's SQLite driver).

``sqlite3`` builds a Python tuple per row and an object per value, with the interpreter held throughout:
seconds for a table of a million signals. ADBC's driver fills Arrow columns in C; this module turns them
into the object columns ``sqlite3`` would have given (text and integers as Python objects, None for
missing; reals as float64 with NaN, which ``normalise_frame`` reads the same), so every caller keeps its
frames. A column with few distinct values shares one Python string per value.

A query the driver cannot read as ``sqlite3`` would (a numeric column holding text), or a machine without
the driver, gets ``None``: the caller then reads with ``sqlite3``.

The driver links its own copy of SQLite, and POSIX record locks belong to the process, not to a connection:
when the driver closes the file, the locks this process's ``sqlite3`` holds on it are gone, and another process
can take the write lock in the middle of our transaction (``test_an_arrow_read_keeps_the_write_lock``). So an
Arrow read runs only while no watched ``sqlite3`` connection of this process is in a transaction (else it
gives ``None``), and such a transaction begins (:func:`begin`) only when no Arrow read runs.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

import numpy as np
import pandas as pd

adbc: ModuleType | None
try:  # a speed-up: the store reads with sqlite3 without it
    import adbc_driver_sqlite.dbapi as adbc
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError:  # pragma: no cover - the dependencies are declared; this is a partial install
    adbc = None

__all__ = ["available", "begin", "read_frame", "watch"]

#: rows per batch: the driver infers each column's type from the first batch, so one batch holds the whole
#: result (a column missing in its first rows is then typed by its later ones)
BATCH_ROWS = 1 << 30
#: a text column whose first rows hold at most this share of distinct values is read as shared strings
SHARED_SHARE = 0.05
_SAMPLE = 10_000


def available() -> bool:
    """Whether the Arrow reader is installed."""
    return adbc is not None


class Connected(Protocol):
    """Anything holding a ``sqlite3`` connection (the embedded store)."""

    conn: sqlite3.Connection


_turns = threading.Condition()
_reads = 0  #: Arrow reads running
_begins = 0  #: transactions beginning
_watched: weakref.WeakSet[Connected] = weakref.WeakSet()


def watch(holder: Connected) -> None:
    """Count ``holder.conn`` (a ``sqlite3`` connection of this process) among those whose transactions keep
    Arrow reads off (held weakly)."""
    with _turns:
        _watched.add(holder)


def begin(conn: sqlite3.Connection, sql: str = "BEGIN IMMEDIATE") -> None:
    """Run ``sql`` (a statement that begins a transaction or takes a lock) once no Arrow read runs."""
    global _begins
    with _turns:
        _begins += 1  # from now on no Arrow read starts: none overtakes a waiting transaction
        _turns.wait_for(lambda: not _reads)
    try:
        conn.execute(sql)
    finally:
        with _turns:
            _begins -= 1


def _in_transaction(holder: Connected) -> bool:
    try:
        return holder.conn.in_transaction
    except sqlite3.ProgrammingError:  # closed
        return False


@contextmanager
def _turn() -> Iterator[bool]:
    """Whether an Arrow read may run now (no watched connection in or beginning a transaction); while it does,
    :func:`begin` waits."""
    global _reads
    with _turns:
        free = not _begins and not any(_in_transaction(h) for h in list(_watched))
        _reads += free
    try:
        yield free
    finally:
        if free:
            with _turns:
                _reads -= 1
                _turns.notify_all()


def read_frame(
    db_file: Path, sql: str, params: tuple[Any, ...], columns: list[str], numeric: Collection[str] = ()
) -> pd.DataFrame | None:
    """The rows of ``sql`` as a DataFrame with ``columns``, or None when the driver cannot read them as
    ``sqlite3`` would: the driver turns a column that mixes numbers and text into text, so a ``numeric``
    column (declared INTEGER or REAL) that comes back as text is read by the caller instead."""
    if adbc is None:
        return None
    with _turn() as free:
        if not free:
            return None
        try:
            with adbc.connect(f"{db_file.resolve().as_uri()}?mode=ro") as conn, conn.cursor() as cur:
                cur.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(BATCH_ROWS)})
                cur.execute(sql, params)
                table = cur.fetch_arrow_table()
        except (OSError, adbc.Error):
            return None
    if any(not _is_number(table.column(columns.index(c)).type) for c in numeric):
        return None
    return pd.DataFrame(
        {name: pd.Series(_objects(table.column(i)), dtype=object, copy=False) for i, name in enumerate(columns)},
        columns=columns,
    )


def _is_number(kind: pa.DataType) -> bool:
    return bool(pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_null(kind))


def _objects(col: pa.ChunkedArray) -> np.ndarray:
    """One Arrow column as sqlite3 would give it."""
    n = len(col)
    if n == 0 or col.null_count == n:
        return np.full(n, None, dtype=object)
    kind = col.type
    if pa.types.is_floating(kind):
        return col.to_numpy()  # NaN for missing
    if pa.types.is_integer(kind):
        values = col.fill_null(0).to_numpy().astype(object)
    elif _few_distinct(col):
        coded = col.combine_chunks().dictionary_encode()
        words = coded.dictionary.to_numpy(zero_copy_only=False)
        values = words[coded.indices.fill_null(0).to_numpy()]
    else:
        return col.to_numpy()  # str objects, None for missing
    if col.null_count:
        values[col.is_null().to_numpy()] = None
    return values


def _few_distinct(col: pa.ChunkedArray) -> bool:
    """Whether a text column's first rows repeat their values (category, domain, buurt code, ...)."""
    head = col.slice(0, _SAMPLE)
    return int(pc.count_distinct(head).as_py()) <= SHARED_SHARE * len(head)
