"""The Neo4j adapter: the official ``neo4j`` driver, managed transactions, UNWIND batches.

One driver per process (see :func:`driver_for`); writes go through ``execute_write`` (retried on
transient errors, so every write is an idempotent MERGE); every value is a parameter and every label
or type spliced into a statement comes from the domain model.

Properties of type ``date`` and ``datetime`` are native Cypher ``date`` and ``localdatetime`` values: the
statements convert the ISO text of the port on the server (``date($p_p[i])``) and give it back as text
(``toString(n.p)``, or :func:`_text` for whole property maps), in the canonical form of
:func:`netwerk.model.canonical`, so every read gives the text the embedded store gives. A store written by
an earlier version, with ISO text, is converted once when it is opened (:meth:`Neo4jStore.ensure_schema`).
"""

from __future__ import annotations

import atexit
import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import Any

import pandas as pd
from neo4j import Driver, GraphDatabase, ManagedTransaction, Session
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable
from neo4j.time import Date, DateTime

from netwerk import cypher
from netwerk.model import Model, canonical
from netwerk.store.base import (
    GraphStore,
    NodeRef,
    Period,
    StoreError,
    by_label,
    gc_paused,
    period_bounds,
)

__all__ = ["Neo4jStore", "driver_for"]

_DRIVERS: dict[tuple[str, str | None], Driver] = {}
_LOCK = threading.Lock()


def driver_for(uri: str, user: str | None = None, password: str | None = None) -> Driver:
    """The process-wide driver for a URI (drivers are expensive and thread-safe: create once)."""
    with _LOCK:
        drv = _DRIVERS.get((uri, user))
        if drv is None:
            auth = (user, password or "") if user else None
            drv = GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF")
            _DRIVERS[(uri, user)] = drv
            atexit.register(drv.close)
        return drv


#: the Cypher function that makes the ISO text of a property type native; other types are stored as given
_NATIVE = {"date": "date", "datetime": "localdatetime"}
#: store metadata: set once every date/datetime property of the store is native (see Neo4jStore.ensure_schema)
NATIVE_DATES_META = "native_dates"


def _native(kind: str, expr: str) -> str:
    """``expr`` (ISO text) as the value stored for a ``kind`` property: ``date(expr)``, ``localdatetime(expr)``
    or ``expr`` itself (Cypher's temporal functions give null for null)."""
    return f"{_NATIVE[kind]}({expr})" if kind in _NATIVE else expr


def _as_text(kind: str, expr: str) -> str:
    """A stored ``kind`` property ``expr`` as the port gives it: ``toString(expr)`` for a date or datetime (the
    canonical form of netwerk.model.canonical: Neo4j 5 writes the seconds always and the fraction without
    trailing zeros), else ``expr`` itself."""
    return f"toString({expr})" if kind in _NATIVE else expr


def _text(value: Any) -> Any:
    """A value read from Neo4j as the port gives it: a native date or localdatetime as canonical ISO text,
    also inside maps (``properties(n)``) and lists."""
    if isinstance(value, DateTime):
        return canonical("datetime", value.iso_format())
    if isinstance(value, Date):
        return value.iso_format()
    if isinstance(value, dict):
        return {k: _text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_text(v) for v in value]
    return value


def _from_text(kind: str, expr: str) -> str:
    """A stored date or datetime ``expr`` made native when it is ISO text (an earlier version stored it so),
    else kept. Text is cut to the 29 characters of nanoseconds that ``localdatetime`` parses: that version
    accepted more digits of a second (now cut off on write, netwerk.model.canonical)."""
    text = f"left({expr}, 29)" if kind == "datetime" else expr
    return f"CASE WHEN {expr} IS :: STRING THEN {_native(kind, text)} ELSE {expr} END"


def _set_props(props: list[str], kinds: Mapping[str, str], var: str = "n") -> str:
    """``ON CREATE SET n.p = $p_p[i], … ON MATCH SET n.p = coalesce($p_p[i], n.p), …`` after a MERGE
    (cypher/store/upsert_nodes.cypher), a date or datetime made native (``date($p_p[i])``); empty without
    properties."""
    names = [(cypher.ident(p), kinds[p]) for p in props]
    if not names:
        return ""
    created = ", ".join(f"{var}.{p} = {_native(k, f'$p_{p}[i]')}" for p, k in names)
    matched = ", ".join(f"{var}.{p} = coalesce({_native(k, f'$p_{p}[i]')}, {var}.{p})" for p, k in names)
    return f"ON CREATE SET {created} ON MATCH SET {matched}"


def _columns(rows: list[dict[str, Any]]) -> dict[str, Sequence[Any]]:
    """Rows as columns (None where a row lacks a property)."""
    names = sorted({k for r in rows for k in r})
    return {k: [r.get(k) for r in rows] for k in names}


def _given(columns: Mapping[str, Sequence[Any]], *ends: str) -> list[str]:
    """The properties (not ``ends``) that have a value in at least one row: the others are not written."""
    return [c for c in sorted(columns) if c not in ends and any(v is not None for v in columns[c])]


def _params(keys: Sequence[Any], props: Mapping[str, Sequence[Any]],
            order: Sequence[int] | None = None) -> dict[str, list[Any]]:
    """A batch's statement parameters: ``keys`` (the node keys or relationship starts) and ``p_<property>``,
    lists of one value per row (in ``order``). A row is an index into them (``UNWIND range(…) AS i``): a map
    per row would make the server decode every property name again for every row (15 % slower)."""
    pick = (lambda v: list(v)) if order is None else (lambda v: [v[j] for j in order])
    return {"keys": pick(keys), **{f"p_{p}": pick(v) for p, v in props.items()}}


def _frame(names: list[str], columns: list[list[Any]]) -> pd.DataFrame:
    """Column lists as a frame of object columns, as normalise_frame keeps them (no round trip through
    pandas' inferred strings)."""
    return pd.DataFrame({n: pd.Series(c, dtype=object) for n, c in zip(names, columns, strict=True)})


class Neo4jStore(GraphStore):
    """A graph store in a Neo4j 5 database."""

    kind = "neo4j"
    #: a projection's reads overlap: the server reads one label while the client decodes another
    parallel_reads = 4
    #: a label of at least ``split_rows`` nodes is read in ``read_parts`` key ranges at once: the server
    #: runs each query on one thread (hotspots' projection of 1M signals on two cores: 7.5-7.9 s in three
    #: ranges, 8.0-8.7 s in two, 10.2-11.0 s in one; docs/scale.md)
    read_parts = 3
    split_rows = 200_000
    #: Cypher's null arrives as None, and the model never writes NaN (validate_value: finite floats only)
    nulls_are_none = True
    verifies_endpoints_in_write = True  # upsert_relationships.cypher counts matched rows; fewer rolls back
    #: batches of one write that run at once, each in a transaction of its own: the server works on one core
    #: per transaction. Their rows are sorted by the nodes they link to, so two batches lock the nodes they
    #: share in the same order (unsorted, they deadlock: measured in docs/scale.md)
    parallel_writes = 2

    @contextmanager
    def writer(self, size: int = 0) -> Iterator[GraphStore | None]:
        """This store itself: the driver is thread-safe and every call opens its own session."""
        yield self

    def __init__(
        self,
        uri: str,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        model: Model | None = None,
    ) -> None:
        if model is not None:
            self.model = model
        self.uri = uri
        self.database = database
        self.driver = driver_for(uri, user, password)
        #: causal consistency: every session of this store sees the writes of the ones before it, also when
        #: a ``neo4j://`` URI routes reads to another cluster member (docs/scale.md)
        self.bookmarks = GraphDatabase.bookmark_manager()
        try:
            self.driver.verify_connectivity()
        except AuthError as exc:
            raise StoreError(f"Neo4j op {uri} weigert de inloggegevens (NETWERK_NEO4J_USER/PASSWORD)") from exc
        except (ServiceUnavailable, OSError, ValueError) as exc:
            raise StoreError(f"Neo4j op {uri} is niet bereikbaar: {exc}") from exc
        self.ensure_schema()

    # ------------------------------------------------------------------ helpers
    def _session(self) -> Session:
        return self.driver.session(database=self.database, bookmark_manager=self.bookmarks)

    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return [{k: _text(v) for k, v in r.data().items()} for r in tx.run(query, params)]

        with self._session() as session:
            return session.execute_read(work)

    def query(self, statement: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only statement from ``cypher/`` (e.g. a pattern) with parameters; rows as dicts."""
        return self._read(statement, **(params or {}))

    def _read_columns(self, query: str, names: list[str], **params: Any) -> pd.DataFrame:
        """A projection whose statement returns one record of columns ``c0``, ``c1``, … (one list per
        column): decoding a few long lists is 5-7× faster than one record per node, and 1.3-1.5× faster
        than one list of row lists (docs/scale.md)."""
        return _frame(names, self._read_lists(query, len(names), **params))

    def _read_lists(self, query: str, n: int, **params: Any) -> list[list[Any]]:
        """The ``n`` column lists ``c0`` … of a statement that returns one record of columns."""

        def work(tx: ManagedTransaction) -> list[list[Any]]:
            record = tx.run(query, params).single(strict=True)
            return [record[f"c{i}"] for i in range(n)]

        with gc_paused(), self._session() as session:  # decoding makes millions of objects: see gc_paused
            return session.execute_read(work)

    def _write(self, query: str, **params: Any) -> None:
        def work(tx: ManagedTransaction) -> None:
            tx.run(query, params).consume()

        try:
            with self._session() as session:
                session.execute_write(work)
        except Neo4jError as exc:
            raise StoreError(f"Neo4j weigerde de schrijfopdracht: {exc.message}") from exc

    def ensure_schema(self) -> None:
        """Create the model's constraints and indexes (idempotent: IF NOT EXISTS), and make the dates of a
        store written by an earlier version native (:meth:`_native_dates`)."""
        with self._session() as session:
            for statement in cypher.split_statements(cypher.load("schema/schema")):
                session.run(statement).consume()
        if self._get_meta(NATIVE_DATES_META) is None:
            self._native_dates()

    def _native_dates(self) -> None:
        """Convert every date/datetime property that is still ISO text (an earlier version stored them so)
        to a native ``date``/``localdatetime``, per label and relationship type in batches of 10,000
        (cypher/store/native_dates.cypher), then note in the store's metadata that this is done. A store
        without data only gets the note. Interrupted, it resumes where it stopped at the next open."""
        if self._read(cypher.load("store/has_data")):
            targets = [(f"(x:{cypher.ident(nt.label)})", nt.label, nt.properties) for nt in self.model.nodes.values()]
            targets += [(f"()-[x:{cypher.ident(rt.type)}]->()", rt.type, rt.properties)
                        for rt in self.model.relationships.values()]
            for pattern, name, kinds in targets:
                dated = [(cypher.ident(p), k) for p, k in kinds.items() if k in _NATIVE]
                if not dated:
                    continue
                query = cypher.render(
                    "store/native_dates", pattern=pattern,
                    text=" OR ".join(f"x.{p} IS :: STRING NOT NULL" for p, _ in dated),
                    set=", ".join(f"x.{p} = {_from_text(k, f'x.{p}')}" for p, k in dated))
                try:
                    with self._session() as session:  # CALL … IN TRANSACTIONS: an auto-commit transaction
                        session.run(query).consume()
                except Neo4jError as exc:
                    raise StoreError(f"Neo4j: de datums van {name} konden niet worden omgezet naar datumwaarden: "
                                     f"{exc.message}") from exc
        self._set_meta(NATIVE_DATES_META, "ja")

    def _names(self, label: str) -> dict[str, str]:
        nt = self.model.node(label)
        return {"label": cypher.ident(nt.label), "key": cypher.ident(nt.key)}

    def _rel_names(self, rel_type: str, start: str, end: str) -> dict[str, str]:
        return {
            "start": cypher.ident(start),
            "start_key": cypher.ident(self.model.node(start).key),
            "end": cypher.ident(end),
            "end_key": cypher.ident(self.model.node(end).key),
            "type": cypher.ident(rel_type),
        }

    # ------------------------------------------------------------------ writes
    def _upsert_nodes(self, label: str, rows: list[dict[str, Any]]) -> None:
        self._upsert_node_columns(label, _columns(rows))

    def _upsert_node_columns(self, label: str, columns: dict[str, Sequence[Any]]) -> None:
        key = self.model.node(label).key
        props = _given(columns, key)
        query = cypher.render("store/upsert_nodes", set=_set_props(props, self.model.node(label).properties),
                              **self._names(label))
        # by key (stable: of a key's rows the last still wins): an index insert near the previous one, and
        # locks in one order (parallel_writes); random pseudonyms unsorted cost a tenth more
        order = sorted(range(len(columns[key])), key=columns[key].__getitem__)
        self._write(query, **_params(columns[key], {p: columns[p] for p in props}, order))

    def _run_batches(self, writes: Iterable[Callable[[], None]]) -> None:
        """Up to :attr:`parallel_writes` batches at once, started in order; after a failure none is started and
        the running ones finish before it is raised."""
        with ThreadPoolExecutor(self.parallel_writes, thread_name_prefix="netwerk-neo4j-write") as pool:
            running: set[Future[None]] = set()
            for write in writes:
                if len(running) >= self.parallel_writes:
                    done, running = wait(running, return_when=FIRST_COMPLETED)
                    for f in done:
                        f.result()
                running.add(pool.submit(write))
            for f in running:
                f.result()

    def _upsert_relationships(self, rel_type: str, start: str, end: str, rows: list[dict[str, Any]]) -> None:
        self._upsert_relationship_columns(rel_type, start, end, _columns(rows))

    def _upsert_relationship_columns(self, rel_type: str, start: str, end: str,
                                     columns: dict[str, Sequence[Any]]) -> None:
        rt = self.model.rel(rel_type)
        relkey = ", ".join(f"{cypher.ident(k)}: {_native(rt.properties[k], f'$p_{k}[i]')}" for k in rt.key)
        props = [p for p in _given(columns, "start", "end") if p not in rt.key]
        query = cypher.render(
            "store/upsert_relationships",
            relkey="{" + relkey + "}" if relkey else "",
            set=_set_props(props, rt.properties, "r"),
            **self._rel_names(rt.type, start, end),
        )
        n = len(columns["start"])
        ends = columns["end"]
        # locks in one order (parallel_writes): by end node, then start node
        order = sorted(range(n), key=lambda j: (ends[j], columns["start"][j]))
        params = _params(columns["start"], {p: columns[p] for p in (*rt.key, *props)}, order)
        params["ends"] = [ends[j] for j in order]
        self._write_checked(query, params, [(rt.type, start, end, "written", n)])

    def _upsert_node_edges(self, label: str, columns: dict[str, Sequence[Any]],
                           edges: list[tuple[str, str, Sequence[str | None]]]) -> None:
        """One statement (cypher/store/upsert_node_edges.cypher): the server looks each node up once, not once
        per relationship type."""
        key = self.model.node(label).key
        k = cypher.ident(key)
        names = [f"e{i}" for i in range(len(edges))]
        props = _given(columns, key)
        query = cypher.render(
            "store/upsert_node_edges",
            edges="\n".join(
                cypher.render("store/upsert_node_edge", type=cypher.ident(t), end=cypher.ident(e),
                              end_key=cypher.ident(self.model.node(e).key), end_param=name)
                for (t, e, _), name in zip(edges, names, strict=True)),
            counts=", ".join(f"sum({name}) AS {name}" for name in names),
            # the edges' CREATE needs n locked: without properties to set, set the key to itself
            set=_set_props(props, self.model.node(label).properties) or f"ON MATCH SET n.{k} = n.{k}",
            **self._names(label),
        )
        # locks in one order (parallel_writes): by the end nodes
        order = sorted(range(len(columns[key])), key=lambda j: tuple(ends[j] or "" for _, _, ends in edges))
        params = _params(columns[key], {p: columns[p] for p in props}, order)
        for (_, _, ends), name in zip(edges, names, strict=True):
            params[name] = [ends[j] for j in order]
        self._write_checked(query, params, [(t, label, e, name, sum(x is not None for x in ends))
                                            for (t, e, ends), name in zip(edges, names, strict=True)])

    def _write_checked(self, query: str, params: dict[str, Any], expect: list[tuple[str, str, str, str, int]]) -> None:
        """Run one batch write whose one record counts, per ``(type, start, end, column, sent)``, the
        relationships written; fewer than sent rolls the whole batch back and raises :class:`StoreError`."""

        def work(tx: ManagedTransaction) -> None:
            rec = tx.run(query, params).single(strict=True)
            for rel_type, start, end, col, sent in expect:
                written = int(rec[col])
                if written < sent:  # raising inside the transaction function rolls the whole batch back
                    raise StoreError(
                        f"{rel_type}: {sent - written} van {sent} relaties hebben een onbekend begin- of eindpunt "
                        f"({start}->{end}); deze batch is niet geschreven"
                    )

        try:
            with self._session() as session:
                session.execute_write(work)
        except Neo4jError as exc:
            raise StoreError(f"Neo4j weigerde de schrijfopdracht: {exc.message}") from exc

    def _missing_keys(self, label: str, keys: list[str]) -> list[str]:
        rows = self._read(cypher.render("store/missing_keys", **self._names(label)), keys=keys)
        return [r["k"] for r in rows]

    def _delete_node(self, label: str, key: str) -> bool:
        query = cypher.render("store/delete_node", **self._names(label))

        def work(tx: ManagedTransaction) -> int:
            return int(tx.run(query, key=key).single()["deleted"])  # type: ignore[index]

        with self._session() as session:
            return session.execute_write(work) > 0

    def _clear(self) -> None:
        with self._session() as session:
            session.run(cypher.load("store/clear_relationships")).consume()
            session.run(cypher.load("store/clear")).consume()
        self._set_meta(NATIVE_DATES_META, "ja")  # an empty store has nothing left to convert

    def _get_meta(self, name: str) -> str | None:
        rows = self._read(cypher.load("store/get_meta"), name=name)
        return None if not rows or rows[0]["value"] is None else str(rows[0]["value"])

    def _set_meta(self, name: str, value: str) -> None:
        self._write(cypher.load("store/set_meta"), name=name, value=value)

    # ------------------------------------------------------------------- reads
    def _get_node(self, label: str, key: str) -> dict[str, Any] | None:
        rows = self._read(cypher.render("store/get_node", **self._names(label)), key=key)
        return rows[0]["props"] if rows else None

    def _nodes_df(self, label: str, columns: list[str], period: Period | None) -> pd.DataFrame:
        names = self._names(label)
        kinds = self.model.node(label).properties
        where, params = [], {}
        if period is not None:  # a range seek on the time index (cypher/schema/schema.cypher), on native values
            prop, since, before = period
            t, kind, (open_since, open_before) = f"n.{cypher.ident(prop)}", kinds[prop], period_bounds(None, None)
            where.append(f"{t} >= {_native(kind, '$since')}" if since != open_since else f"{t} IS NOT NULL")
            if before != open_before:
                where.append(f"{t} < {_native(kind, '$before')}")
            params = {"since": since, "before": before}
        selected = ", ".join(f"[x IN ns | {_as_text(kinds[p], f'x.{cypher.ident(p)}')}] AS c{i}"
                             for i, p in enumerate(columns))
        ranges = self._key_ranges(label)

        def part(bounds: tuple[str | None, str | None]) -> list[list[Any]]:
            lo, hi = bounds
            clauses = [*where, *([f"n.{names['key']} >= $lo"] if lo is not None else []),
                       *([f"n.{names['key']} < $hi"] if hi is not None else [])]
            query = cypher.render("store/nodes", where=" AND ".join(clauses) or "true", columns=selected, **names)
            return self._read_lists(query, len(columns), lo=lo, hi=hi, **params)

        if len(ranges) == 1:
            return _frame(columns, part(ranges[0]))
        with ThreadPoolExecutor(len(ranges)) as pool:  # the server reads each range on its own thread
            parts = list(pool.map(part, ranges))
        # the ranges' lists joined before one frame is built (no concatenation of frames)
        return _frame(columns, [list(itertools.chain.from_iterable(p[i] for p in parts)) for i in range(len(columns))])

    def _key_ranges(self, label: str) -> list[tuple[str | None, str | None]]:
        """``read_parts`` key ranges of about equal size for a label of at least ``split_rows`` nodes
        (one unbounded range otherwise): the bounds (inclusive from, exclusive to; ``None`` = open)."""
        n = self._count_nodes(label)
        parts = max(1, min(self.read_parts, n // self.split_rows))
        query = cypher.render("store/key_at", **self._names(label))
        pivots = [row["key"] for i in range(1, parts) for row in self._read(query, rank=n * i // parts)]
        bounds = [None, *sorted(set(pivots)), None]
        return list(itertools.pairwise(bounds))

    def _relationships_df(self, rel_type: str, start: str, end: str, columns: list[str]) -> pd.DataFrame:
        kinds = self.model.rel(rel_type).properties
        rcolumns = "".join(f", [x IN rs | {_as_text(kinds[p], f'x[2].{cypher.ident(p)}')}] AS c{i}"
                           for i, p in enumerate(columns, 2))
        query = cypher.render("store/relationships", rcolumns=rcolumns, **self._rel_names(rel_type, start, end))
        return self._read_columns(query, ["start", "end", *columns])

    def _adjacent(self, frontier: list[NodeRef], types: list[str] | None) -> Iterable[dict[str, Any]]:
        for label, keys in by_label(frontier).items():
            for rec in self._read(cypher.render("store/adjacent", **self._names(label)), keys=keys, types=types):
                yield {**rec, "label": label}

    def _count_nodes(self, label: str) -> int:
        return int(self._read(cypher.render("store/count_nodes", **self._names(label)))[0]["n"])

    def _count_relationships(self, rel_type: str) -> int:
        return int(self._read(cypher.render("store/count_relationships", type=cypher.ident(rel_type)))[0]["n"])
