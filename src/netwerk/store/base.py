"""The storage port: one small interface, two adapters (embedded SQLite and Neo4j).

Adapters implement the primitives with a leading underscore; everything users call is written once
here: validation against the domain model, batching, audit logging of person-level reads,
neighbourhood traversal and the networkx projection.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from itertools import islice
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netwerk.audit import audit_read
from netwerk.gcpause import gc_paused
from netwerk.model import MODEL, Model, ModelError, canonical_columns

__all__ = ["DEFAULT_BATCH", "GraphStore", "StoreError", "batched", "by_label", "gc_paused"]

DEFAULT_BATCH = 10_000
NodeRef = tuple[str, str]  # (label, key)
_ENDS = ("start", "end")
Period = tuple[str, str, str]  # (time property, from: inclusive, before: exclusive), ISO text

#: (store id, change counter of other processes) as read at the start of the current request
_PINNED: ContextVar[tuple[int, int] | None] = ContextVar("netwerk_pinned_version", default=None)


class StoreError(RuntimeError):
    """A store operation failed for a reason the user can act on (message in Dutch)."""


def batched(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Yield lists of at most ``size`` items."""
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def by_label(refs: Iterable[NodeRef]) -> dict[str, list[str]]:
    """The keys of ``(label, key)`` references, per label (first-seen order)."""
    out: dict[str, list[str]] = {}
    for label, key in refs:
        out.setdefault(label, []).append(key)
    return out


def _strip_none(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}


def _rows(columns: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Columns as rows without the missing values (what :func:`_strip_none` makes of a row)."""
    names = list(columns)
    return [{k: v for k, v in zip(names, values, strict=True) if v is not None}
            for values in zip(*columns.values(), strict=True)]


def missing_endpoints(rel_type: str, side: str, label: str, missing: Sequence[str], outcome: str) -> StoreError:
    """The error for relationships whose ``side`` ("start"/"end") names ``label`` keys that do not exist."""
    return StoreError(
        f"{rel_type}: {len(missing)} onbekende {label}-sleutel(s) als "
        f"{'beginpunt' if side == 'start' else 'eindpunt'}, bijvoorbeeld {', '.join(map(str, missing[:5]))}; {outcome}"
    )


def _in_order(df: pd.DataFrame, columns: Sequence[str]) -> bool:
    """True when the rows are already sorted by ``columns`` without missing values (a sort would keep them)."""
    if len(df) < 2:
        return True
    undecided = np.ones(len(df) - 1, dtype=bool)  # pairs of neighbours equal on every column so far
    for c in columns:
        v = df[c].to_numpy()
        try:
            if pd.isna(v).any():
                return False
            lt, eq = v[:-1] < v[1:], v[:-1] == v[1:]
        except TypeError:
            return False
        if (undecided & ~lt & ~eq).any():
            return False
        undecided &= eq
        if not undecided.any():
            return True
    return True


def _sorted(df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``df.sort_values(columns, kind="stable")``, several times faster for text columns: numpy sorts them as
    fixed-width unicode (code-point order, as Python compares str). Taken only when the rows it gives are in
    Python's order (checked): a missing value or a value that is not text falls back to ``sort_values``."""
    try:
        order = np.lexsort([df[c].to_numpy().astype(str) for c in reversed(columns)])
    except (TypeError, ValueError):
        order = None
    if order is not None and _in_order(df.iloc[order], columns):
        return df.iloc[order]
    return df.sort_values(list(columns), kind="stable")


def normalise_frame(df: pd.DataFrame, columns: Mapping[str, str], *, nulls_are_none: bool = False) -> pd.DataFrame:
    """Give a projection the model's columns (in model order) and dtypes, whatever the backend.

    ``nulls_are_none``: the backend gives None for every missing value (no NaN), so text columns are kept
    as they are instead of checked value by value (a second per 1M-row column)."""
    out = pd.DataFrame(index=range(len(df)))
    for name, kind in columns.items():
        col = df[name] if name in df.columns else pd.Series([None] * len(df), dtype=object)
        col = col.reset_index(drop=True)
        if kind == "int":
            out[name] = pd.array(col.astype(object).where(col.notna(), None), dtype="Int64")
        elif kind == "float":
            out[name] = pd.to_numeric(col, errors="coerce").astype("float64")
        elif kind == "bool":
            out[name] = pd.array([None if pd.isna(v) else bool(v) for v in col], dtype="boolean")
        elif col.dtype == object:
            values = col.to_numpy()
            out[name] = pd.Series(values, dtype=object, copy=False) if nulls_are_none else _none_for_missing(values)
        else:
            out[name] = col.astype(object).where(col.notna(), None)
    return out


def _none_for_missing(values: Any) -> pd.Series:
    """An object column with None for every missing value: ``astype(object).where(notna, None)`` without
    the copies when the column is object already (the embedded store's columns are)."""
    missing = pd.isna(values)
    if missing.any():
        values = values.copy()
        values[missing] = None
    return pd.Series(values, dtype=object, copy=False)


Edges = Sequence[tuple[str, str, Sequence[str | None]]]  #: (type, end label, end keys) per node


def valid_node_columns(model: Model, label: str, columns: Mapping[str, Sequence[Any]]
                       ) -> tuple[int, Mapping[str, Sequence[Any]]]:
    """(rows, the columns in canonical form) of valid node columns; raises ModelError otherwise."""
    n = model.validate_node_columns(label, columns)
    return n, canonical_columns(model.node(label).properties, columns)


def valid_node_edges(model: Model, label: str, columns: Mapping[str, Sequence[Any]], edges: Edges
                     ) -> tuple[int, Mapping[str, Sequence[Any]], list[tuple[str, str, Sequence[str | None]]]]:
    """(rows, canonical columns, edges with their types and end labels as the model names them) of
    :meth:`GraphStore.upsert_node_edge_columns`; raises ModelError or StoreError otherwise."""
    n, columns = valid_node_columns(model, label, columns)
    keys = columns[model.node(label).key]
    checked: list[tuple[str, str, Sequence[str | None]]] = []
    for rel_type, end_label, ends in edges:
        rt = model.rel(rel_type)
        start, end = rt.endpoint(label, end_label)
        if rt.key or rt.properties:
            raise StoreError(f"{rel_type}: relaties met eigenschappen horen niet bij upsert_node_edge_columns")
        if len(ends) != n:
            raise StoreError(f"{rel_type}: {len(ends)} eindpunten voor {n} knopen")
        has = [j for j, e in enumerate(ends) if e is not None]
        model.validate_relationship_columns(
            rel_type, {"start": [keys[j] for j in has], "end": [ends[j] for j in has]}, start, end)
        checked.append((rt.type, end, ends))
    return n, columns, checked


def valid_relationship_columns(model: Model, rel_type: str, columns: Mapping[str, Sequence[Any]],
                               start_label: str | None, end_label: str | None
                               ) -> tuple[int, tuple[str, str, str], Mapping[str, Sequence[Any]]]:
    """(rows, (type, start label, end label), canonical columns) of valid relationship columns."""
    rt = model.rel(rel_type)
    start_label, end_label = rt.endpoint(start_label, end_label)
    n = model.validate_relationship_columns(rel_type, columns, start_label, end_label)
    return n, (rt.type, start_label, end_label), canonical_columns(rt.properties, columns)


class GraphStore(ABC):
    """A property graph store for the netwerk domain model."""

    model: Model = MODEL
    kind: str = "abstract"
    #: How many projection reads (:meth:`nodes_df`, :meth:`relationships_df`) may run at once from threads
    parallel_reads: int = 1
    #: True when reads give None for every missing value, never NaN (see :func:`normalise_frame`)
    nulls_are_none: bool = False
    #: True when a relationship write itself refuses a batch with a missing endpoint
    verifies_endpoints_in_write: bool = False
    #: writes through this object so far (see :meth:`version`)
    _writes: int = 0

    def version(self) -> tuple[int, int]:
        """A value that changes with every write: caches of analysis results are keyed by it.

        The first part counts writes through this object; the second is the adapter's own change
        counter for writes by other processes (0 when the backend cannot report it), read once per
        context after :meth:`pin_version`.
        """
        pinned = _PINNED.get()
        return (self._writes, pinned[1] if pinned is not None and pinned[0] == id(self) else self._external_version())

    def pin_version(self) -> None:
        """Read the other processes' change counter once for the rest of this context (one API request
        sees one state of the store; its own writes still count at once)."""
        _PINNED.set((id(self), self._external_version()))

    def _external_version(self) -> int:
        return 0

    def _bump(self) -> None:
        self._writes += 1

    # ------------------------------------------------------------------ writes
    def upsert_nodes(self, label: str, rows: Iterable[Mapping[str, Any]], batch_size: int = DEFAULT_BATCH) -> int:
        """Create or update nodes by key; returns the number of rows written.

        All rows are validated against the model before anything is written; ``None`` values mean
        'unknown' and never overwrite a stored value. Idempotent.
        """
        valid = self.model.validate_nodes(label, rows)
        self._bump()
        for chunk in batched(valid, batch_size):
            self._upsert_nodes(label, [_strip_none(r) for r in chunk])
        return len(valid)

    def upsert_node_columns(self, label: str, columns: Mapping[str, Sequence[Any]],
                            batch_size: int = DEFAULT_BATCH) -> int:
        """:meth:`upsert_nodes` for rows given as columns: ``{property: values}``, equal lengths, None for
        missing. The same validation and result, without a dict per row where the adapter writes columns
        (the embedded store; ingest writes this way)."""
        n, columns = valid_node_columns(self.model, label, columns)
        self._write_node_columns(label, columns, batch_size)
        return n

    def _write_node_columns(self, label: str, columns: Mapping[str, Sequence[Any]], batch_size: int) -> None:
        """The writes of :meth:`upsert_node_columns`, its columns validated."""
        self._bump()
        n = len(columns[self.model.node(label).key])
        self._run_batches(
            partial(self._upsert_node_columns, label, {c: v[i:i + batch_size] for c, v in columns.items()})
            for i in range(0, n, batch_size))

    def upsert_node_edge_columns(self, label: str, columns: Mapping[str, Sequence[Any]],
                                 edges: Edges,
                                 batch_size: int = DEFAULT_BATCH) -> int:
        """:meth:`upsert_node_columns` plus, per edge ``(type, end label, end keys)``, a relationship from each
        node to the existing end node with that key (None: no relationship). Each batch writes its nodes and
        their relationships together (the node is looked up once, its keys sent once); a batch with an unknown
        end node rolls back and raises :class:`StoreError`. Only for relationships without properties; the
        same validation as the separate writes."""
        n, columns, edges = valid_node_edges(self.model, label, columns, edges)
        self._write_node_edges(label, columns, edges, batch_size)
        return n

    def _write_node_edges(self, label: str, columns: Mapping[str, Sequence[Any]],
                          edges: Edges, batch_size: int) -> None:
        """The writes of :meth:`upsert_node_edge_columns`, its columns and edges validated."""
        self._bump()
        n = len(columns[self.model.node(label).key])
        self._run_batches(partial(self._upsert_node_edges, label, {c: v[i:i + batch_size] for c, v in columns.items()},
                                  [(t, e, ends[i:i + batch_size]) for t, e, ends in edges])
                          for i in range(0, n, batch_size))

    def upsert_relationships(
        self,
        rel_type: str,
        rows: Iterable[Mapping[str, Any]],
        start_label: str | None = None,
        end_label: str | None = None,
        batch_size: int = DEFAULT_BATCH,
        *,
        check_endpoints: bool = True,
    ) -> int:
        """Create or update relationships ``{"start": key, "end": key, **props}``.

        Both endpoints must exist; missing endpoints raise :class:`StoreError` and nothing is written.
        ``check_endpoints=False`` lets a caller that has already verified the endpoints (ingest does) skip
        the up-front check on adapters that verify inside the write itself (both adapters here: a batch with
        a missing endpoint rolls back and raises, but batches written before it, or alongside it on Neo4j, stay
        written); other adapters always check.
        """
        rt = self.model.rel(rel_type)
        start_label, end_label = rt.endpoint(start_label, end_label)
        self._bump()
        valid = self.model.validate_relationships(rel_type, rows, start_label, end_label)
        self._check_endpoints(rel_type, {e: [r[e] for r in valid] for e in _ENDS}, start_label, end_label,
                              batch_size, check_endpoints)
        for chunk in batched(valid, batch_size):
            self._upsert_relationships(rt.type, start_label, end_label, [_strip_none(r) for r in chunk])
        return len(valid)

    def upsert_relationship_columns(
        self,
        rel_type: str,
        columns: Mapping[str, Sequence[Any]],
        start_label: str | None = None,
        end_label: str | None = None,
        batch_size: int = DEFAULT_BATCH,
        *,
        check_endpoints: bool = True,
    ) -> int:
        """:meth:`upsert_relationships` for rows given as columns ``{"start": keys, "end": keys, **props}``
        (equal lengths, None for missing): the same validation, checks and result."""
        n, (rel_type, start_label, end_label), columns = valid_relationship_columns(
            self.model, rel_type, columns, start_label, end_label)
        self._write_relationship_columns((rel_type, start_label, end_label), columns, batch_size, check_endpoints)
        return n

    def _write_relationship_columns(self, ends: tuple[str, str, str], columns: Mapping[str, Sequence[Any]],
                                    batch_size: int, check_endpoints: bool) -> None:
        """The checks and writes of :meth:`upsert_relationship_columns`, its columns validated; ``ends``: (type,
        start label, end label)."""
        rel_type, start_label, end_label = ends
        self._bump()
        self._check_endpoints(rel_type, columns, start_label, end_label, batch_size, check_endpoints)
        self._run_batches(partial(self._upsert_relationship_columns, rel_type, start_label, end_label,
                                  {c: v[i:i + batch_size] for c, v in columns.items()})
                          for i in range(0, len(columns["start"]), batch_size))

    def _check_endpoints(self, rel_type: str, ends: Mapping[str, Sequence[str]], start_label: str, end_label: str,
                         batch_size: int, check_endpoints: bool) -> None:
        """Raise :class:`StoreError` when an endpoint is missing (see :meth:`upsert_relationships`)."""
        if not check_endpoints and self.verifies_endpoints_in_write:
            return
        for end, label in (("start", start_label), ("end", end_label)):
            keys = sorted(set(ends[end]))
            missing: list[str] = []
            for chunk in batched(keys, batch_size):
                missing += self._missing_keys(label, chunk)
            if missing:
                raise missing_endpoints(rel_type, end, label, missing, "er is niets geschreven")

    def missing_keys(self, label: str, keys: Sequence[str], batch_size: int = DEFAULT_BATCH) -> list[str]:
        """The keys among ``keys`` that have no ``label`` node in the store (in batches)."""
        self.model.node(label)
        missing: list[str] = []
        for chunk in batched(keys, batch_size):
            missing += self._missing_keys(label, list(chunk))
        return missing

    def delete_node(self, label: str, key: str) -> bool:
        """Delete a node and its relationships; True when it existed."""
        self.model.node(label)
        self._bump()
        return self._delete_node(label, key)

    # ------------------------------------------------------------------- reads
    def get_node(self, label: str, key: str) -> dict[str, Any] | None:
        """The node's properties, or None."""
        nt = self.model.node(label)
        if nt.personal:
            audit_read(self.kind, "get_node", label, [key])
        node = self._get_node(label, key)
        if node is None:
            return None
        return {name: _scalar(kind, node.get(name)) for name, kind in nt.properties.items()}

    def nodes_df(
        self, label: str, columns: Sequence[str] | None = None, since: str | None = None, until: str | None = None
    ) -> pd.DataFrame:
        """Nodes of a label as a DataFrame with the model's columns, sorted by key.

        ``columns`` reads only those properties (the key always comes along; model order). ``since`` /
        ``until`` (ISO dates, both inclusive) keep only nodes whose time property (the model's
        ``time_property``) lies in that period, filtered in the store on its index; nodes without a
        time value are then left out. Equal to the whole projection filtered in pandas, only cheaper.
        """
        nt = self.model.node(label)
        props = _selected(nt.properties, nt.key, columns, label)
        bounds = None
        if since is not None or until is not None:
            if not nt.time_property:
                raise ModelError(f"{label} heeft geen tijdseigenschap: filteren op periode kan niet")
            bounds = (nt.time_property, *period_bounds(since, until))
        raw = self._nodes_df(label, list(props), bounds)
        df = normalise_frame(raw, props, nulls_are_none=self.nulls_are_none)
        if nt.personal:
            audit_read(self.kind, "nodes_df", label, None, n=len(df))
        if not df[nt.key].is_monotonic_increasing:  # stores usually give key order already
            df = _sorted(df, [nt.key])
        return df.reset_index(drop=True)

    def relationships_df(
        self, rel_type: str, start_label: str | None = None, end_label: str | None = None,
        columns: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Relationships as a DataFrame: start, end, start_label, end_label, then properties.

        ``columns`` reads only those relationship properties (model order; ``[]`` for just the endpoints).
        """
        rt = self.model.rel(rel_type)
        pairs = [p for p in rt.endpoints if start_label in (None, p[0]) and end_label in (None, p[1])]
        if not pairs:
            rt.endpoint(start_label, end_label)  # raises with the allowed pairs
        props = _selected(rt.properties, None, columns, rel_type)
        cols = {"start": "str", "end": "str", "start_label": "str", "end_label": "str", **props}
        frames = []
        for s, e in pairs:
            df = self._relationships_df(rt.type, s, e, list(props))
            for name, label in (("start_label", s), ("end_label", e)):  # object columns, as normalise_frame keeps
                df[name] = pd.Series(np.full(len(df), label, dtype=object), index=df.index, dtype=object, copy=False)
            frames.append(normalise_frame(df, cols, nulls_are_none=self.nulls_are_none))
        out = pd.concat(frames, ignore_index=True) if frames else normalise_frame(pd.DataFrame(), cols)
        if any(self.model.node(x).personal for p in pairs for x in p):
            audit_read(self.kind, "relationships_df", rel_type, None, n=len(out))
        order = ["start_label", "start", "end_label", "end", *(k for k in rt.key if k in props)]
        if not _in_order(out, order):
            out = _sorted(out, order)
        return out.reset_index(drop=True)

    def counts(self) -> dict[str, dict[str, int]]:
        """Counts per label and relationship type: ``{"nodes": {...}, "relationships": {...}}``."""
        return {
            "nodes": {label: self._count_nodes(label) for label in self.model.nodes},
            "relationships": {t: self._count_relationships(t) for t in self.model.relationships},
        }

    def neighbourhood(
        self,
        label: str,
        key: str,
        depth: int = 1,
        labels: Sequence[str] | None = None,
        types: Sequence[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        visible: Callable[[str, Mapping[str, Any]], bool] | None = None,
    ) -> nx.MultiDiGraph:
        """The subgraph within ``depth`` (1-3) hops of a node.

        ``visible(label, props)`` (optional) hides nodes the caller may not see: they are neither
        returned nor traversed (scope by datum).

        ``labels``/``types`` restrict which nodes and relationships are followed; ``since``/``until``
        (ISO dates) drop nodes whose time property lies outside the period and relationships whose
        ``start_date``-``end_date`` period does not overlap it. Nodes are ``"Label:key"`` with their
        properties and ``label``/``key`` attributes.
        """
        if not 1 <= depth <= 3:
            raise ModelError("diepte moet 1, 2 of 3 zijn")
        for lab in labels or ():
            self.model.node(lab)
        for t in types or ():
            self.model.rel(t)
        start = self.get_node(label, key)
        if start is None:
            raise StoreError(f"{label} {key!r} bestaat niet")
        graph = nx.MultiDiGraph()
        _add_node(graph, label, start, self.model)
        frontier: list[NodeRef] = [(label, key)]
        seen = {(label, key)}
        for _ in range(depth):
            nxt: list[NodeRef] = []
            for rec in self._adjacent(frontier, list(types) if types else None):
                other_label, other = rec["other_label"], rec["other"]
                if labels and other_label not in labels:
                    continue
                if not _in_period(other_label, other, since, until, self.model):
                    continue
                if not _overlaps(rec["props"], since, until):
                    continue
                if visible is not None and not visible(other_label, other):
                    continue
                okey = other[self.model.node(other_label).key]
                if (other_label, okey) not in seen:
                    seen.add((other_label, okey))
                    nxt.append((other_label, okey))
                    _add_node(graph, other_label, other, self.model)
                here = f"{rec['label']}:{rec['key']}"
                there = f"{other_label}:{okey}"
                a, b = (here, there) if rec["outgoing"] else (there, here)
                rkey = rec["type"] + "|" + "|".join(str(rec["props"].get(k)) for k in self.model.rel(rec["type"]).key)
                graph.add_edge(a, b, key=rkey, type=rec["type"], **rec["props"])
            frontier = nxt
            if not frontier:
                break
        persons = [n for n, d in graph.nodes(data=True) if self.model.node(d["label"]).personal]
        if persons:
            audit_read(self.kind, "neighbourhood", "Person", persons)
        return graph

    def to_networkx(
        self, labels: Sequence[str] | None = None, types: Sequence[str] | None = None
    ) -> nx.MultiDiGraph:
        """The (sub)graph as a networkx MultiDiGraph with nodes ``"Label:key"``."""
        graph = nx.MultiDiGraph()
        wanted = list(labels) if labels else list(self.model.nodes)
        for lab in wanted:
            nt = self.model.node(lab)
            df = self.nodes_df(lab)
            graph.add_nodes_from(
                (f"{lab}:{rec[nt.key]}", {**_clean(rec), "label": lab, "key": rec[nt.key]})
                for rec in df.to_dict("records")
            )
        for t in types or list(self.model.relationships):
            rt = self.model.rel(t)
            for s, e in rt.endpoints:
                if s not in wanted or e not in wanted:
                    continue
                df = self.relationships_df(t, s, e)
                for rec in df.to_dict("records"):
                    props = _clean({k: rec[k] for k in rt.properties})
                    rkey = t + "|" + "|".join(str(props.get(k)) for k in rt.key)
                    graph.add_edge(f"{s}:{rec['start']}", f"{e}:{rec['end']}", key=rkey, type=t, **props)
        return graph

    @contextmanager
    def writer(self, size: int = 0) -> Iterator[GraphStore | None]:
        """A store for one thread that writes while the calling thread goes on reading this one (ingest
        overlaps its writes with reading and validating the next chunk), or None: write here. ``size``: about
        how many bytes of input the writes come from (an adapter may write a large load differently)."""
        yield None

    def settle(self, labels: Sequence[str], rel_types: Sequence[str]) -> None:
        """The load of these node labels and relationship types is done: an adapter that defers work to the end
        of a load (the embedded store's secondary indexes, see its ``loading``) may do it now, while the load
        goes on with other tables. Nothing here; later writes to them stay correct either way."""
        return None

    def clear(self) -> None:
        """Delete every node and relationship (used by tests and `netwerk reset`)."""
        self._bump()
        self._clear()

    # ------------------------------------------------------------ store metadata
    def get_meta(self, name: str) -> str | None:
        """A metadata value of the store itself (not graph data), e.g. the pseudonym-key fingerprint."""
        return self._get_meta(name)

    def set_meta(self, name: str, value: str) -> None:
        """Set a metadata value of the store itself (idempotent)."""
        self._set_meta(name, value)

    def _get_meta(self, name: str) -> str | None:
        return self.__dict__.get("_meta", {}).get(name)

    def _set_meta(self, name: str, value: str) -> None:
        self.__dict__.setdefault("_meta", {})[name] = value

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------- adapter primitives
    @abstractmethod
    def _upsert_nodes(self, label: str, rows: list[dict[str, Any]]) -> None: ...

    @abstractmethod
    def _upsert_relationships(self, rel_type: str, start: str, end: str, rows: list[dict[str, Any]]) -> None: ...

    def _upsert_node_columns(self, label: str, columns: dict[str, Sequence[Any]]) -> None:
        """Write one batch given as columns; by default as rows (adapters may write the columns directly)."""
        self._upsert_nodes(label, _rows(columns))

    def _upsert_relationship_columns(self, rel_type: str, start: str, end: str,
                                     columns: dict[str, Sequence[Any]]) -> None:
        """Write one batch of relationships given as columns; by default as rows."""
        self._upsert_relationships(rel_type, start, end, _rows(columns))

    def _run_batches(self, writes: Iterable[Callable[[], None]]) -> None:
        """Run the batch writes of one call, in order; the first failure stops the later ones."""
        for write in writes:
            write()

    @abstractmethod
    def _upsert_node_edges(self, label: str, columns: dict[str, Sequence[Any]],
                           edges: list[tuple[str, str, Sequence[str | None]]]) -> None:
        """One batch of :meth:`upsert_node_edge_columns` in one transaction: the nodes, then per edge
        ``(type, end label, end keys)`` the relationships to the ends that are not None."""

    @abstractmethod
    def _missing_keys(self, label: str, keys: list[str]) -> list[str]: ...

    @abstractmethod
    def _get_node(self, label: str, key: str) -> dict[str, Any] | None: ...

    @abstractmethod
    def _nodes_df(self, label: str, columns: list[str], period: Period | None) -> pd.DataFrame:
        """The nodes' ``columns``; with ``period`` = (time property, from, before) only the nodes whose
        time value ``v`` has ``from <= v < before`` (ISO text compared as text)."""

    @abstractmethod
    def _relationships_df(self, rel_type: str, start: str, end: str, columns: list[str]) -> pd.DataFrame:
        """Columns ``start``, ``end`` and the relationship properties ``columns``."""

    @abstractmethod
    def _adjacent(self, frontier: list[NodeRef], types: list[str] | None) -> Iterable[dict[str, Any]]:
        """Relationships touching the frontier: dicts with label, key, type, props, outgoing,
        other_label and other (the neighbour's properties)."""

    @abstractmethod
    def _count_nodes(self, label: str) -> int: ...

    @abstractmethod
    def _count_relationships(self, rel_type: str) -> int: ...

    @abstractmethod
    def _delete_node(self, label: str, key: str) -> bool: ...

    @abstractmethod
    def _clear(self) -> None: ...


def _plain(value: Any) -> Any:
    """A plain Python scalar (numpy/pandas scalars and missing values converted) for JSON and drivers."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _scalar(kind: str, value: Any) -> Any:
    """One stored value as the model's plain Python type (what :func:`normalise_frame` gives, without pandas)."""
    value = _plain(value)
    if value is None:
        return None
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return bool(value)
    return value


def _clean(rec: Mapping[str, Any]) -> dict[str, Any]:
    """Properties without missing values, as plain Python scalars."""
    plain = {str(k): _plain(v) for k, v in rec.items()}
    return {k: v for k, v in plain.items() if v is not None}


def _add_node(graph: nx.MultiDiGraph, label: str, props: Mapping[str, Any], model: Model) -> None:
    key = props[model.node(label).key]
    graph.add_node(f"{label}:{key}", **_clean(props), label=label, key=key)


def _selected(properties: Mapping[str, str], key: str | None, columns: Sequence[str] | None,
              name: str) -> dict[str, str]:
    """The model properties ``columns`` asks for (all when None; the key always), in model order."""
    if columns is None:
        return dict(properties)
    unknown = [c for c in columns if c not in properties]
    if unknown:
        raise ModelError(f"{name} heeft geen eigenschap(pen) {', '.join(map(repr, unknown))}")
    return {p: k for p, k in properties.items() if p == key or p in columns}


def period_bounds(since: str | None, until: str | None) -> tuple[str, str]:
    """ISO text bounds ``[from, before)`` for the days ``since``..``until`` (inclusive; open ends when None).

    Dates and date-times stored as ISO text sort as text, so the store compares them on its index."""
    start = "" if since is None else pd.Timestamp(since).strftime("%Y-%m-%d")
    end = "\uffff" if until is None else (pd.Timestamp(until).normalize() + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    return start, end


def _in_period(label: str, props: Mapping[str, Any], since: str | None, until: str | None, model: Model) -> bool:
    prop = model.node(label).time_property
    value = props.get(prop) if prop else None
    if not value:
        return True
    day = str(value)[:10]
    return (since is None or day >= since[:10]) and (until is None or day <= until[:10])


def _overlaps(props: Mapping[str, Any], since: str | None, until: str | None) -> bool:
    start, end = props.get("start_date"), props.get("end_date")
    if since and end and str(end) < since[:10]:
        return False
    return not (until and start and str(start) > until[:10])
