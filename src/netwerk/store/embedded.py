"""The embedded default store: SQLite from the standard library, one table per label and type.

Tables are derived from the domain model (``n_<Label>``, ``r_<TYPE>``); new model properties are added
as columns when a store is opened. WAL journaling with ``synchronous=FULL`` makes every committed
write durable: a crash mid-write loses no committed data. Each upsert batch is one transaction (in the writing
process of a large load, a savepoint in a transaction of 100k rows: see :meth:`EmbeddedStore.loading`).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from itertools import compress, repeat
from pathlib import Path
from typing import Any

import pandas as pd

from netwerk.model import Model, RelType
from netwerk.store import arrowread
from netwerk.store.base import (
    GraphStore,
    NodeRef,
    Period,
    StoreError,
    batched,
    by_label,
    gc_paused,
    missing_endpoints,
)
from netwerk.store.writeprocess import ProcessWriter

__all__ = ["EmbeddedStore"]

_SQL_TYPE = {"str": "TEXT", "date": "TEXT", "datetime": "TEXT", "int": "INTEGER", "float": "REAL", "bool": "INTEGER"}
_ENDS = ("start_label", "start", "end_label", "end")


def _column(columns: Mapping[str, Sequence[Any]], name: str) -> Iterable[Any]:
    """A batch's values of one column; None throughout when the batch does not have it."""
    values = columns.get(name)
    return repeat(None, len(next(iter(columns.values())))) if values is None else values


def _q(name: str) -> str:
    return f'"{name}"'


def _text(value: str) -> str:
    """A text literal for SQL."""
    return "'" + value.replace("'", "''") + "'"


class EmbeddedStore(GraphStore):
    """A graph store in a single SQLite file under ``path`` (a folder, created when missing)."""

    kind = "embedded"
    #: SQLite has no NaN (it stores one as NULL) and sqlite3 gives NULL as None
    nulls_are_none = True
    verifies_endpoints_in_write = True  # each relationship batch checks its endpoints in its transaction

    def __init__(self, path: str | Path, model: Model | None = None) -> None:
        if model is not None:
            self.model = model
        self.path = Path(path)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"kan de opslagmap {self.path} niet aanmaken: {exc}") from exc
        self.db_file = self.path / "graph.sqlite"
        self.conn = sqlite3.connect(self.db_file, isolation_level=None, check_same_thread=False)
        arrowread.watch(self)  # its transactions begin through arrowread.begin
        arrowread.begin(self.conn, "PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("PRAGMA foreign_keys=OFF")
        self._loading_since: int | None = None  #: in a loading() with shared transactions: changes at the last commit
        self._transaction_rows = 0
        #: keys of nodes found present by _missing_keys, per label, while no other connection commits (see there)
        self._present: dict[str, set[str]] = {}
        self._present_version = -1
        self._ensure_schema()

    #: from this many bytes of input on, :meth:`writer` writes from a process of its own
    process_bytes = 32 << 20

    @contextmanager
    def writer(self, size: int = 0) -> Iterator[GraphStore | None]:
        """A second connection to the same file: WAL lets this one read while that one writes. From
        :attr:`process_bytes` of input on, the connection is in a process of its own
        (:mod:`netwerk.store.writeprocess`: the two then work at the same time, not taking turns at Python's
        interpreter lock); its start costs about a second. A failed write raises at the next write or when
        the writer is closed."""
        side: Any = None
        if size >= self.process_bytes and os.name == "posix":  # the child gets its pipes as inherited fds
            with suppress(OSError):  # no child process here (a frozen app, no executable): the thread writes
                side = ProcessWriter(self.path, self.model)
        if side is not None:
            try:
                yield side
            finally:
                side.close()
            return
        store = EmbeddedStore(self.path, self.model)
        with store, store.loading():
            yield store

    @contextmanager
    def loading(self, transaction_rows: int = 0) -> Iterator[None]:
        """A large load through this connection: it caches up to 256 MB of pages (SQLite's default is 2 MB:
        inserts into the key indexes of a large store then seldom wait for a page), and the secondary indexes
        of empty tables are built once at the end, not row by row (a third less time; a crash before the end
        leaves them to the next open). With ``transaction_rows``, batches share transactions of that many rows
        (each batch a savepoint: a failed one still rolls back alone; the last transaction commits when the load
        ends, so other connections see the rows later): a large store's index pages are then written once per
        transaction, not once per batch."""
        self.conn.execute("PRAGMA cache_size=-262144")
        with self._transaction():
            for name, (table, _) in self._indexes().items():
                if self.conn.execute(f"SELECT 1 FROM {_q(table)} LIMIT 1").fetchone() is None:
                    self.conn.execute(f"DROP INDEX IF EXISTS {_q(name)}")
        if transaction_rows:
            self._loading_since, self._transaction_rows = self.conn.total_changes, transaction_rows
        try:
            yield
        finally:
            self._loading_since = None
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")
            with self._transaction():
                self._create_indexes()

    def settle(self, labels: Sequence[str], rel_types: Sequence[str]) -> None:
        """Build the secondary indexes of these tables now (not at the end of the :meth:`loading`)."""
        tables = {f"n_{label}" for label in labels} | {f"r_{t}" for t in rel_types}
        with self._transaction():
            self._create_indexes(tables)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """A write transaction (``BEGIN IMMEDIATE``: the write lock at once, no upgrade deadlock); in a
        :meth:`loading` with shared transactions, a savepoint in the current one, committed from its
        ``transaction_rows`` changed rows on."""
        try:
            if self._loading_since is None:
                with self.conn:
                    arrowread.begin(self.conn)
                    yield
                return
            if not self.conn.in_transaction:
                arrowread.begin(self.conn)
            self.conn.execute("SAVEPOINT batch")
            try:
                yield
            except BaseException:
                if self.conn.in_transaction:  # (SQLite ends the whole transaction on some errors, e.g. a full disk)
                    self.conn.execute("ROLLBACK TO batch")
                    self.conn.execute("RELEASE batch")
                raise
            self.conn.execute("RELEASE batch")
            if self.conn.total_changes - self._loading_since >= self._transaction_rows:
                self.conn.execute("COMMIT")
                self._loading_since = self.conn.total_changes
        except BaseException:
            self._present.clear()  # a rollback may take nodes that were found present
            raise

    def _external_version(self) -> int:
        """SQLite's data_version: changes when another connection (process) commits."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    # ------------------------------------------------------------------ schema
    def _table_columns(self, table: str) -> set[str]:
        return {row[1] for row in self.conn.execute(f"PRAGMA table_info({_q(table)})")}

    def _ensure_schema(self) -> None:
        with self.conn:
            arrowread.begin(self.conn, "BEGIN")
            self.conn.execute("CREATE TABLE IF NOT EXISTS netwerk_meta (name TEXT PRIMARY KEY NOT NULL, value TEXT)")
            for nt in self.model.nodes.values():
                table = f"n_{nt.label}"
                cols = ", ".join(
                    f"{_q(p)} {_SQL_TYPE[k]}" + (" PRIMARY KEY NOT NULL" if p == nt.key else "")
                    for p, k in nt.properties.items()
                )
                self.conn.execute(f"CREATE TABLE IF NOT EXISTS {_q(table)} ({cols})")
                self._add_missing_columns(table, nt.properties)
            for rt in self.model.relationships.values():
                table = f"r_{rt.type}"
                props = ", ".join(f"{_q(p)} {_SQL_TYPE[k]}" for p, k in rt.properties.items())
                unique = ", ".join(_q(c) for c in (*_ENDS, *rt.key))
                self.conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {_q(table)} (start_label TEXT NOT NULL, start TEXT NOT NULL, "
                    f"end_label TEXT NOT NULL, \"end\" TEXT NOT NULL{', ' + props if props else ''}, "
                    f"UNIQUE ({unique}))"
                )
                self._add_missing_columns(table, rt.properties)
            self._create_indexes()

    def _indexes(self) -> dict[str, tuple[str, str]]:
        """The secondary indexes, name → (table, columns): relationships by end, nodes by time."""
        ends = {f"ix_{rt.type}_end": (f"r_{rt.type}", 'end_label, "end"') for rt in self.model.relationships.values()}
        times = {f"ix_{nt.label}_time": (f"n_{nt.label}", _q(nt.time_property))
                 for nt in self.model.nodes.values() if nt.time_property}
        return ends | times

    def _create_indexes(self, tables: Collection[str] | None = None) -> None:
        """The secondary indexes (of these tables) that do not exist yet."""
        for name, (table, columns) in self._indexes().items():
            if tables is None or table in tables:
                self.conn.execute(f"CREATE INDEX IF NOT EXISTS {_q(name)} ON {_q(table)} ({columns})")

    def _add_missing_columns(self, table: str, properties: dict[str, str] | Any) -> None:
        have = self._table_columns(table)
        for p, k in properties.items():
            if p not in have:
                self.conn.execute(f"ALTER TABLE {_q(table)} ADD COLUMN {_q(p)} {_SQL_TYPE[k]}")

    # ------------------------------------------------------------------ writes
    def _write(self, sql: str, params: Iterable[tuple[Any, ...]],
               ends: tuple[str, tuple[str, Sequence[str]], tuple[str, Sequence[str]]] | None = None) -> None:
        """One batch in one transaction; with ``ends`` = (type, (start label, keys), (end label, keys)) the
        endpoints are verified first, in the same transaction: a missing one raises and nothing is written."""
        with self._transaction():
            if ends is not None:
                rel_type, *sides = ends
                for side, (label, keys) in zip(("start", "end"), sides, strict=True):
                    if missing := self._missing_keys(label, list(dict.fromkeys(keys))):
                        raise missing_endpoints(rel_type, side, label, missing, "deze batch is niet geschreven")
            self.conn.executemany(sql, params)

    def _node_sql(self, label: str) -> tuple[str, list[str]]:
        """The upsert of a node and the columns its parameters follow."""
        nt = self.model.node(label)
        cols = list(nt.properties)
        updates = ", ".join(f"{_q(c)} = COALESCE(excluded.{_q(c)}, {_q(c)})" for c in cols if c != nt.key)
        sql = (
            f"INSERT INTO {_q('n_' + label)} ({', '.join(map(_q, cols))}) VALUES ({', '.join('?' * len(cols))}) "
            f"ON CONFLICT({_q(nt.key)}) DO UPDATE SET {updates}"
        )
        return sql, cols

    def _relationship_sql(self, rel_type: str, start: str, end: str) -> tuple[str, list[str]]:
        """The upsert of a relationship between nodes of these labels (in the statement, not bound to each row)
        and its properties, whose parameters follow the start and end keys."""
        rt = self.model.rel(rel_type)
        props = list(rt.properties)
        conflict = ", ".join(_q(c) for c in (*_ENDS, *rt.key))
        others = [c for c in props if c not in rt.key]
        action = (
            "DO UPDATE SET " + ", ".join(f"{_q(c)} = COALESCE(excluded.{_q(c)}, {_q(c)})" for c in others)
            if others
            else "DO NOTHING"
        )
        sql = (
            f"INSERT INTO {_q('r_' + rel_type)} ({', '.join(map(_q, (*_ENDS, *props)))}) "
            f"VALUES ({_text(start)}, ?, {_text(end)}, {', '.join('?' * (1 + len(props)))}) "
            f"ON CONFLICT({conflict}) {action}"
        )
        return sql, props

    def _upsert_nodes(self, label: str, rows: list[dict[str, Any]]) -> None:
        sql, cols = self._node_sql(label)
        self._write(sql, [tuple(r.get(c) for c in cols) for r in rows])

    def _upsert_node_columns(self, label: str, columns: dict[str, Sequence[Any]]) -> None:
        sql, cols = self._node_sql(label)
        with self._transaction():
            self.conn.executemany(sql, zip(*(_column(columns, c) for c in cols), strict=True))
            self._known(label).update(columns[self.model.node(label).key])

    def _upsert_relationships(self, rel_type: str, start: str, end: str, rows: list[dict[str, Any]]) -> None:
        sql, props = self._relationship_sql(rel_type, start, end)
        self._write(sql, [(r["start"], r["end"], *(r.get(p) for p in props)) for r in rows],
                    (rel_type, (start, [r["start"] for r in rows]), (end, [r["end"] for r in rows])))

    def _upsert_relationship_columns(self, rel_type: str, start: str, end: str,
                                     columns: dict[str, Sequence[Any]]) -> None:
        sql, props = self._relationship_sql(rel_type, start, end)
        self._write(sql, zip(columns["start"], columns["end"], *(_column(columns, p) for p in props), strict=True),
                    (rel_type, (start, columns["start"]), (end, columns["end"])))

    def _upsert_node_edges(self, label: str, columns: dict[str, Sequence[Any]],
                           edges: list[tuple[str, str, Sequence[str | None]]]) -> None:
        """The nodes and their relationships in one transaction: only the end nodes are checked (the start
        nodes are the ones just written)."""
        sql, cols = self._node_sql(label)
        keys = columns[self.model.node(label).key]
        with self._transaction():
            self.conn.executemany(sql, zip(*(_column(columns, c) for c in cols), strict=True))
            for rel_type, end_label, ends in edges:
                has = [e is not None for e in ends]
                end_keys = [e for e in ends if e is not None]
                if missing := self._missing_keys(end_label, list(dict.fromkeys(end_keys))):
                    raise missing_endpoints(rel_type, "end", end_label, missing, "deze batch is niet geschreven")
                rows = zip(compress(keys, has), end_keys, strict=True)
                self.conn.executemany(self._relationship_sql(rel_type, label, end_label)[0], rows)
            self._known(label).update(keys)

    def _missing_keys(self, label: str, keys: list[str]) -> list[str]:
        """The keys without a node, in order: one query over all of them (a JSON array), not one per 900.

        Keys found present, and those of the nodes written as columns, are remembered until another connection
        commits (SQLite's ``data_version``), this one deletes, or a transaction fails: the relationships of a
        large load then look up no node they can know of."""
        present = self._known(label)
        unknown = [k for k in keys if k not in present]
        if not unknown:
            return []
        nt = self.model.node(label)
        sql = (f"SELECT value FROM json_each(?) WHERE NOT EXISTS "
               f"(SELECT 1 FROM {_q('n_' + label)} WHERE {_q(nt.key)} = value)")
        missing = [r[0] for r in self.conn.execute(sql, (json.dumps(unknown),))]
        present.update(unknown)
        present.difference_update(missing)
        return missing

    def _known(self, label: str) -> set[str]:
        """The keys of ``label`` nodes known present (see :meth:`_missing_keys`): none after another connection
        has committed. The column writes add theirs inside their transaction (where no other can commit)."""
        if (version := self._external_version()) != self._present_version:
            self._present.clear()
            self._present_version = version
        present = self._present.setdefault(label, set())
        if len(present) > 4_000_000:  # bounded: a few hundred MB at most
            present.clear()
        return present

    def _delete_node(self, label: str, key: str) -> bool:
        nt = self.model.node(label)
        self._present.clear()
        with self._transaction():
            cur = self.conn.execute(f"DELETE FROM {_q('n_' + label)} WHERE {_q(nt.key)} = ?", (key,))
            for rt in self.model.relationships.values():
                self.conn.execute(
                    f"DELETE FROM {_q('r_' + rt.type)} WHERE (start_label = ? AND start = ?) "
                    f"OR (end_label = ? AND \"end\" = ?)",
                    (label, key, label, key),
                )
        return cur.rowcount > 0

    def _clear(self) -> None:
        self._present.clear()
        with self._transaction():
            for nt in self.model.nodes.values():
                self.conn.execute(f"DELETE FROM {_q('n_' + nt.label)}")
            for rt in self.model.relationships.values():
                self.conn.execute(f"DELETE FROM {_q('r_' + rt.type)}")
            self.conn.execute("DELETE FROM netwerk_meta")

    def _get_meta(self, name: str) -> str | None:
        row = self.conn.execute("SELECT value FROM netwerk_meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, name: str, value: str) -> None:
        self._write("INSERT INTO netwerk_meta (name, value) VALUES (?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET value = excluded.value", [(name, value)])

    # ------------------------------------------------------------------- reads
    def _get_node(self, label: str, key: str) -> dict[str, Any] | None:
        nt = self.model.node(label)
        cur = self.conn.execute(f"SELECT * FROM {_q('n_' + label)} WHERE {_q(nt.key)} = ?", (key,))
        row = cur.fetchone()
        if row is None:
            return None
        return {d[0]: v for d, v in zip(cur.description, row, strict=True) if d[0] in nt.properties}

    def _nodes_df(self, label: str, columns: list[str], period: Period | None) -> pd.DataFrame:
        sql = f"SELECT {', '.join(map(_q, columns))} FROM {_q('n_' + label)}"
        params: tuple[str, ...] = ()
        if period is not None:  # a range on the time index (ix_<Label>_time)
            prop, since, before = period
            sql += f" WHERE {_q(prop)} >= ? AND {_q(prop)} < ?"
            params = (since, before)
        key = self.model.node(label).key
        if period is not None and key in columns:  # in key order, as nodes_df wants them: SQLite's sort is
            sql += f" ORDER BY {_q(key)}"  # cheaper than pandas' object sort of keys in time order
        # whole tables in rowid order: nodes_df sorts only when needed
        return self._frame(sql, params, columns, self.model.node(label).properties)

    def _relationships_df(self, rel_type: str, start: str, end: str, columns: list[str]) -> pd.DataFrame:
        names = ["start", "end", *columns]
        rt = self.model.rel(rel_type)
        keys = [k for k in rt.key if k in columns]
        sql = f"SELECT {', '.join(map(_q, names))} FROM {_q('r_' + rel_type)}"
        if set(columns) <= set(keys):  # the unique index holds every column: read in its (the wanted) order
            return self._frame(sql + " WHERE start_label = ? AND end_label = ?", (start, end), names, rt.properties)
        # else SQLite would walk an index and look each row up: a scan and a sort in SQLite are cheaper, and give
        # relationships_df its order (start, end, key) instead of a sort in pandas
        order = ", ".join(map(_q, ["start", "end", *keys]))
        return self._frame(sql + f" NOT INDEXED WHERE start_label = ? AND end_label = ? ORDER BY {order}", (start, end),
                           names, rt.properties)

    def _frame(self, sql: str, params: tuple[str, ...], columns: list[str], kinds: Mapping[str, str]) -> pd.DataFrame:
        """All rows of a query as object columns (as SQLite gives them: normalise_frame sets the dtypes), read
        as Arrow columns where the driver can (:mod:`netwerk.store.arrowread`), else row by row. ``kinds``: the
        model kinds of the columns that have one."""
        numeric = [c for c in columns if _SQL_TYPE.get(kinds.get(c, "str")) in ("INTEGER", "REAL")]
        frame = arrowread.read_frame(self.db_file, sql, params, columns, numeric)
        if frame is not None:
            return frame
        with gc_paused():
            return pd.DataFrame(self.conn.execute(sql, params).fetchall(), columns=columns, dtype=object)

    def _adjacent(self, frontier: list[NodeRef], types: list[str] | None) -> Iterable[dict[str, Any]]:
        keys_of = by_label(frontier)
        found: list[tuple[str, RelType, bool, tuple[Any, ...]]] = []
        for rt in self.model.relationships.values():
            if types and rt.type not in types:
                continue
            props = list(rt.properties)
            for label, keys in keys_of.items():
                for here, there, outgoing in (("start", "end", True), ("end", "start", False)):
                    if not any((s if outgoing else e) == label for s, e in rt.endpoints):
                        continue  # this relationship never touches ``label`` on this side
                    for chunk in batched(keys, 900):
                        sql = (
                            f"SELECT {_q(here)}, {_q(there + '_label')}, {_q(there)}"
                            f"{''.join(', ' + _q(p) for p in props)} FROM {_q('r_' + rt.type)} "
                            f"WHERE {_q(here + '_label')} = ? AND {_q(here)} IN ({', '.join('?' * len(chunk))})"
                        )
                        found += ((label, rt, outgoing, row) for row in self.conn.execute(sql, (label, *chunk)))
        others = self._get_nodes({(row[1], row[2]) for *_, row in found})
        for label, rt, outgoing, row in found:
            other = others.get((row[1], row[2]))
            if other is not None:
                yield {
                    "label": label,
                    "key": row[0],
                    "type": rt.type,
                    "props": {p: v for p, v in zip(rt.properties, row[3:], strict=True) if v is not None},
                    "outgoing": outgoing,
                    "other_label": row[1],
                    "other": other,
                }

    def _get_nodes(self, refs: Iterable[NodeRef]) -> dict[NodeRef, dict[str, Any]]:
        """Many nodes at once, by (label, key)."""
        out: dict[NodeRef, dict[str, Any]] = {}
        for label, keys in by_label(refs).items():
            nt = self.model.node(label)
            for chunk in batched(keys, 900):
                cur = self.conn.execute(
                    f"SELECT * FROM {_q('n_' + label)} WHERE {_q(nt.key)} IN ({', '.join('?' * len(chunk))})", chunk
                )
                names = [d[0] for d in cur.description]
                for row in cur:
                    node = {n: v for n, v in zip(names, row, strict=True) if n in nt.properties}
                    out[(label, node[nt.key])] = node
        return out

    def _count_nodes(self, label: str) -> int:
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {_q('n_' + label)}").fetchone()[0])

    def _count_relationships(self, rel_type: str) -> int:
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {_q('r_' + rel_type)}").fetchone()[0])

    def close(self) -> None:
        self.conn.close()
