"""The youth network: youths linked by shared signals, shared youth groups and shared addresses.

Groups of youths are fluid networks, not fixed lists (the police *groepsscan* looks at the relations
between members). :func:`youth_network` projects the person–signal data of a :class:`~netwerk.frames.Frames`
onto youths: two youths are linked when they were involved in the same signal, weighted by the number of
shared signals, how recent they are (exponential decay with a configurable half-life) and the roles
they had. Shared registered youth-group membership and a shared registration address (siblings) are
separate, switchable edge types.

:func:`youth_graph` builds it with array operations (the pairs of youths per signal, sorted once; the same
per group and per household) into edge arrays, from which one igraph is built
and shared by every step; networkx is only built on request (drawing, Gephi export, :func:`youth_network`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from netwerk.betweenness import edge_graph
from netwerk.frames import Frames, period

__all__ = [
    "DEFAULT_DAYS",
    "EDGE_TYPES",
    "EDGE_TYPE_WEIGHTS",
    "MAX_HOUSEHOLD",
    "ROLE_WEIGHTS",
    "GraphArrays",
    "YouthNetwork",
    "distinct",
    "involvements",
    "last_shared",
    "shared_pairs",
    "youth_edges",
    "youth_graph",
    "youth_network",
]

#: Default analysis window in days, ending at the latest date in the data.
DEFAULT_DAYS = 365
#: The switchable edge types.
EDGE_TYPES = ("signal", "group", "address")
#: Weight of one involvement by role (unknown roles weigh 0.5).
ROLE_WEIGHTS: Mapping[str, float] = {
    "verdachte": 1.0,
    "betrokkene": 0.8,
    "getuige": 0.3,
    "slachtoffer": 0.3,
    "melder": 0.1,
}
#: Weight of one shared youth group / one shared address, relative to one fresh shared signal.
EDGE_TYPE_WEIGHTS: Mapping[str, float] = {"group": 0.5, "address": 0.5}
#: Addresses with more youths than this (student houses, labour-migrant housing) give no address edges.
MAX_HOUSEHOLD = 6


@dataclass(frozen=True, eq=False)
class GraphArrays:
    """An undirected weighted graph as arrays: vertex ``i`` is ``names[i]`` (sorted as strings), edge ``k``
    joins ``src[k] <= dst[k]`` (sorted) with weight ``weight[k]``; :attr:`igraph` is built from them once."""

    names: list[Any]
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray

    @cached_property
    def igraph(self) -> ig.Graph:
        g = edge_graph(len(self.names), self.src, self.dst)
        g.es["weight"] = self.weight.tolist()
        return g

    @classmethod
    def from_networkx(cls, graph: nx.Graph, weight: str = "weight") -> GraphArrays:
        """The arrays of a networkx graph (vertices sorted as strings, so insertion order does not matter)."""
        names = sorted(graph.nodes, key=str)
        index = {v: i for i, v in enumerate(names)}
        if graph.number_of_edges():
            adj = graph._adj  # the raw dict of dicts: iterating the public views costs 3x more
            a = np.fromiter((index[u] for u, nbrs in adj.items() for _ in nbrs), dtype=np.int64)
            b = np.fromiter((index[v] for nbrs in adj.values() for v in nbrs), dtype=np.int64)
            ws = np.asarray([d.get(weight, 1.0) for nbrs in adj.values() for d in nbrs.values()], dtype=float)
            keep = a <= b  # each edge appears twice, self-loops once
            src, dst, w = a[keep], b[keep], ws[keep]
            order = np.lexsort((dst, src))
            src, dst, w = src[order], dst[order], w[order]
        else:
            src = dst = np.empty(0, dtype=np.int64)
            w = np.empty(0, dtype=float)
        return cls(names, src, dst, w)


@dataclass(frozen=True, eq=False)
class YouthNetwork:
    """The youth network of a period as tables and arrays (what :func:`youth_graph` returns).

    Attributes
    ----------
    nodes : pandas.DataFrame
        ``person_id, birth_year, n_signals, last_signal, age``; row ``i`` is vertex ``i``.
    edges : pandas.DataFrame
        ``src, dst`` (vertex numbers, ``src < dst``, sorted), ``weight, signal_weight, n_signals,
        group_weight, n_groups, address_weight, n_addresses, types``.
    involvements : pandas.DataFrame
        The youth involvements of the period (see :func:`involvements`), for evidence.
    start, end : pandas.Timestamp
    min_age, max_age : int
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    involvements: pd.DataFrame
    start: pd.Timestamp
    end: pd.Timestamp
    min_age: int
    max_age: int

    @cached_property
    def involvement_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """Per involvement, its vertex number and an integer code of its signal."""
        person = pd.Index(self.nodes["person_id"]).get_indexer(self.involvements["person_id"]).astype(np.int64)
        return person, pd.factorize(self.involvements["signal_id"])[0].astype(np.int64)

    @cached_property
    def arrays(self) -> GraphArrays:
        e = self.edges
        return GraphArrays(
            self.nodes["person_id"].tolist(), e["src"].to_numpy(np.int64), e["dst"].to_numpy(np.int64),
            e["weight"].to_numpy(float),
        )

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return len(self.edges)

    def edge_table(self) -> pd.DataFrame:
        """The edges with person ids ``u, v`` instead of vertex numbers and the date of the last shared signal."""
        ids = pd.Index(self.nodes["person_id"])
        src, dst = self.edges["src"].to_numpy(np.int64), self.edges["dst"].to_numpy(np.int64)
        out = self.edges.drop(columns=["src", "dst"])
        out.insert(0, "u", ids.to_numpy()[src])
        out.insert(1, "v", ids.to_numpy()[dst])
        out.insert(4, "last_signal", last_shared(self.involvements, ids, src, dst))
        return out

    def to_networkx(self) -> nx.Graph:
        """A networkx graph with every node and edge attribute (for drawing, Gephi export and small analyses).

        ``G.graph`` holds ``start, end, min_age, max_age`` and ``involvements``."""
        G = nx.Graph(start=self.start, end=self.end, min_age=self.min_age, max_age=self.max_age,
                     involvements=self.involvements)
        nodes = self.nodes.assign(last_signal=self.nodes["last_signal"].dt.strftime("%Y-%m-%d"))
        G.add_nodes_from(zip(nodes["person_id"].tolist(), _records(nodes.drop(columns="person_id")), strict=True))
        if len(self.edges):
            e = self.edge_table()
            e = e.assign(last_signal=e["last_signal"].dt.strftime("%Y-%m-%d").fillna(""))
            G.add_edges_from(zip(e["u"].tolist(), e["v"].tolist(), _records(e.drop(columns=["u", "v"])), strict=True))
        return G


def involvements(
    frames: Frames,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    min_age: int | None = None,
    max_age: int | None = None,
    half_life_days: float = 180.0,
    role_weights: Mapping[str, float] = ROLE_WEIGHTS,
) -> pd.DataFrame:
    """Person involvements in signals of the period, with age at the signal and a decayed weight.

    Returns one row per (signal, person) with ``signal_id, person_id, role, reported_at, category,
    subcategory, domain, description, birth_year, age, weight``; ``age`` is the signal year minus the birth year
    (NaN when unknown); ``weight`` is the role weight times ``0.5 ** (days before end / half_life)``.
    With ``min_age``/``max_age`` only involvements at youth age are kept.
    """
    return _coded_involvements(
        frames, start, end, min_age=min_age, max_age=max_age, half_life_days=half_life_days,
        role_weights=role_weights,
    )[0]


def _coded_involvements(
    frames: Frames,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    min_age: int | None,
    max_age: int | None,
    half_life_days: float,
    role_weights: Mapping[str, float],
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, pd.Index]:
    """:func:`involvements` with its integer codes: ``(df, person code, signal code, person ids)``.

    Every string column is hashed once: signal ids against the period's signals (that lookup is the
    join), person ids by one factorisation (births, duplicates and the network's vertices use the codes)."""
    sp = frames.signal_persons[["signal_id", "person_id", "role"]]
    sig = frames.signals[["signal_id", "reported_at", "category", "subcategory", "domain", "description"]]
    sig = sig[(sig["reported_at"] >= start) & (sig["reported_at"] <= end)].drop_duplicates("signal_id")
    at = pd.Index(sig["signal_id"]).get_indexer(sp["signal_id"])
    sp = sp[at >= 0]
    signal = at[at >= 0].astype(np.int64)
    person, people = pd.factorize(sp["person_id"])
    person = person.astype(np.int64)
    # one row per (signal, person): the first, in the order of the signal_persons table
    key = signal * max(len(people), 1) + person
    first = np.flatnonzero(~pd.Series(key).duplicated().to_numpy())  # hashing: numpy 2.4's unique sorts slowly
    sp, signal, person = sp.iloc[first], signal[first], person[first]
    rows = sig.iloc[signal].drop(columns="signal_id").reset_index(drop=True)
    df = pd.concat([sp.reset_index(drop=True), rows], axis=1)
    births = frames.persons.drop_duplicates("person_id").set_index("person_id")["birth_year"]
    born = pd.to_numeric(births.reindex(people), errors="coerce").to_numpy(dtype=float)
    df["birth_year"] = born[person] if len(person) else np.empty(0)
    df["age"] = df["reported_at"].dt.year - df["birth_year"]
    keep = np.ones(len(df), dtype=bool)
    if min_age is not None:
        keep &= (df["age"] >= min_age).to_numpy()
    if max_age is not None:
        keep &= (df["age"] <= max_age).to_numpy()
    if not keep.all():
        df, signal, person = df[keep].reset_index(drop=True), signal[keep], person[keep]
    age_days = (end.normalize() - df["reported_at"].dt.normalize()).dt.days.to_numpy(dtype=float)
    decay = np.power(0.5, np.clip(age_days, 0, None) / half_life_days)
    roles, kinds = pd.factorize(df["role"])
    per_kind = np.append(np.array([role_weights.get(k, 0.5) for k in kinds], dtype=float), 0.5)  # -1: unknown
    df["weight"] = per_kind[roles] * decay
    return df, person, signal, pd.Index(people)


def youth_edges(
    frames: Frames,
    *,
    since: str | None = None,
    until: str | None = None,
    min_age: int = 12,
    max_age: int = 24,
    half_life_days: float = 180.0,
    edge_types: Iterable[str] = EDGE_TYPES,
    role_weights: Mapping[str, float] = ROLE_WEIGHTS,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The youth network as tables: ``(nodes, edges, involvements)``.

    ``nodes`` has ``person_id, birth_year, n_signals, last_signal, age``; ``edges`` has ``u, v, weight,
    signal_weight, n_signals, last_signal, group_weight, n_groups, address_weight, n_addresses, types``
    (``u < v``). See :func:`youth_graph` for the array form the analyses use.
    """
    net = youth_graph(
        frames, since=since, until=until, min_age=min_age, max_age=max_age, half_life_days=half_life_days,
        edge_types=edge_types, role_weights=role_weights,
    )
    return net.nodes, net.edge_table(), net.involvements


def youth_graph(
    frames: Frames,
    *,
    since: str | None = None,
    until: str | None = None,
    min_age: int = 12,
    max_age: int = 24,
    half_life_days: float = 180.0,
    edge_types: Iterable[str] = EDGE_TYPES,
    role_weights: Mapping[str, float] = ROLE_WEIGHTS,
) -> YouthNetwork:
    """The youth network as edge arrays (parameters as :func:`youth_network`).

    Signal edges are the upper triangle of ``B @ B.T`` for the persons × signals matrix ``B`` with
    ``sqrt(role weight · recency)`` per involvement (an entry is ``Σ sqrt(w_u · w_v)`` over the shared
    signals) and of ``A @ A.T`` for its 0/1 pattern (the number of shared signals), computed from the
    pairs of youths per signal (:func:`shared_pairs`) summed per pair; group and address edges likewise
    from the pairs per group and per household. No networkx object is built: see
    :meth:`YouthNetwork.to_networkx` for export and drawing.
    """
    types = tuple(edge_types)
    unknown = sorted(set(types) - set(EDGE_TYPES))
    if unknown:
        raise ValueError(f"onbekend verbindingstype {', '.join(unknown)}; kies uit {', '.join(EDGE_TYPES)}")
    if min_age > max_age:
        raise ValueError(f"leeftijdsgrenzen ongeldig: minimum {min_age} ligt boven maximum {max_age}")
    if not half_life_days > 0:
        raise ValueError(f"halveringstijd moet positief zijn, kreeg {half_life_days}")
    start, end = period(frames, since, until, DEFAULT_DAYS)
    inv, code, sig, people = _coded_involvements(
        frames, start, end, min_age=min_age, max_age=max_age, half_life_days=half_life_days,
        role_weights=role_weights,
    )
    # vertices: the youths with an involvement, sorted by id; ``person`` is each involvement's vertex
    present = distinct(code)
    ids = people[present]
    order = np.argsort(ids.to_numpy(dtype=object).astype(str), kind="stable")
    vertex_of = np.full(len(people) + 1, -1, dtype=np.int64)
    vertex_of[present[order]] = np.arange(len(order))
    person = vertex_of[code]
    ids = ids[order]
    n = len(ids)
    when = inv["reported_at"].to_numpy(dtype="datetime64[ns]")
    last = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, person, when.astype(np.int64))
    birth = np.full(n, np.nan)
    birth[person] = inv["birth_year"].to_numpy(dtype=float)
    nodes = pd.DataFrame({
        "person_id": ids, "birth_year": birth, "n_signals": np.bincount(person, minlength=n),
        "last_signal": pd.to_datetime(last.astype("datetime64[ns]")),
    })
    nodes["age"] = end.year - nodes["birth_year"]
    parts: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    if "signal" in types:
        parts["signal"] = _co_occurrence(person, sig, n, np.sqrt(inv["weight"].to_numpy(dtype=float)))
    if "group" in types:
        gm = frames.group_members[["group_id", "person_id"]].dropna().drop_duplicates()
        gm = gm[gm["person_id"].isin(ids)]
        keys, counts, _ = _co_occurrence(ids.get_indexer(gm["person_id"]), pd.factorize(gm["group_id"])[0], n)
        parts["group"] = (keys, counts, counts * EDGE_TYPE_WEIGHTS["group"])
    if "address" in types:
        live = _households(frames, ids, start, end)
        keys, counts, _ = _co_occurrence(ids.get_indexer(live["person_id"]), pd.factorize(live["address_id"])[0], n)
        parts["address"] = (keys, counts, np.where(counts > 0, EDGE_TYPE_WEIGHTS["address"], 0.0))
    keys = distinct(np.concatenate([p[0] for p in parts.values()])) if parts else np.empty(0, np.int64)
    cols: dict[str, np.ndarray] = {"src": keys // max(n, 1), "dst": keys % max(n, 1)}
    code = np.zeros(len(keys), dtype=np.int64)
    total = np.zeros(len(keys))
    for bit, (t, name) in enumerate((("signal", "signal"), ("group", "group"), ("address", "address"))):
        pk, pc, pw = parts.get(t, (np.empty(0, np.int64), np.empty(0), np.empty(0)))
        c, w = _lookup(keys, pk, pc), _lookup(keys, pk, pw)
        cols[f"n_{name}s" if name != "address" else "n_addresses"] = c.astype(np.int64)
        cols[f"{name}_weight"] = w
        total += w
        code += (c > 0) * (1 << bit)
    table = np.array([",".join(t for k, t in enumerate(EDGE_TYPES) if c >> k & 1) for c in range(8)], dtype=object)
    edges = pd.DataFrame(cols).assign(weight=total, types=table[code])
    net = YouthNetwork(nodes, edges, inv, start, end, min_age, max_age)
    net.__dict__["involvement_codes"] = (person, sig)  # coded once above (the cached property)
    return net


def _co_occurrence(
    rows: np.ndarray, keys: np.ndarray, n: int, root: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The upper triangle of ``M @ M.T`` for the persons × keys matrix ``M`` with entry ``root`` per row (1
    when None), from the pairs of rows that share a key (:func:`shared_pairs`) summed per pair.

    Returns the sorted pair keys ``i * n + j`` (``i < j``), the number of keys each pair shares and the
    product's entries ``Σ root[u] · root[v]`` (the number again when ``root`` is None)."""
    left, right = shared_pairs(rows, keys)
    pair = rows[left].astype(np.int64) * n + rows[right]
    order = np.argsort(pair, kind="stable")
    pair = pair[order]
    first = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]]) if len(pair) else np.empty(0, np.int64)
    counts = np.diff(np.r_[first, len(pair)]).astype(float)
    if root is None:
        return pair[first], counts, counts
    sums = np.add.reduceat((root[left] * root[right])[order], first) if len(first) else np.empty(0)
    return pair[first], counts, sums


def shared_pairs(person: np.ndarray, group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of rows ``(left, right)`` in the same ``group`` with ``person[left] < person[right]``.

    The rows' ``(group, person)`` must be distinct and non-negative. One sort, then each group's rows are
    paired with the rows after them (a group of ``k`` rows gives ``k (k - 1) / 2`` pairs).

    Examples
    --------
    >>> left, right = shared_pairs(np.array([2, 0, 1, 0]), np.array([7, 7, 7, 8]))
    >>> left.tolist(), right.tolist()
    ([1, 1, 2], [2, 0, 0])
    """
    order = np.argsort(group * (int(person.max()) + 1) + person if len(person) else person, kind="stable")
    g = group[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]]) if len(g) else np.empty(0, np.int64)
    sizes = np.diff(np.r_[starts, len(g)])
    after = np.repeat(starts + sizes, sizes) - np.arange(len(g)) - 1  # partners after each row
    left = np.repeat(np.arange(len(g)), after)
    right = left + 1 + np.arange(len(left)) - np.repeat(np.cumsum(after) - after, after)
    return order[left], order[right]


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array (one sort; ``np.unique`` hashes, which is slower here)."""
    v = np.sort(values, kind="stable")
    return v[np.r_[True, v[1:] != v[:-1]]] if len(v) else v


def _lookup(keys: np.ndarray, part_keys: np.ndarray, part_values: np.ndarray) -> np.ndarray:
    """``part_values`` at ``keys`` (0 where a key is absent); both key arrays sorted."""
    out = np.zeros(len(keys), dtype=float)
    if len(part_keys) and len(keys):
        pos = np.clip(np.searchsorted(part_keys, keys), 0, len(part_keys) - 1)
        hit = part_keys[pos] == keys
        out[hit] = part_values[pos[hit]]
    return out


def _households(frames: Frames, ids: pd.Index, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Registrations of network youths live in the period, at addresses with at most :data:`MAX_HOUSEHOLD` of them."""
    reg = frames.registrations
    live = reg[
        reg["person_id"].isin(ids)
        & (reg["start_date"].isna() | (reg["start_date"] <= end))
        & (reg["end_date"].isna() | (reg["end_date"] >= start))
    ][["address_id", "person_id"]].dropna().drop_duplicates()
    size = live.groupby("address_id")["person_id"].transform("size")
    return live[size <= MAX_HOUSEHOLD]


def last_shared(inv: pd.DataFrame, ids: pd.Index, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Date of the latest signal shared by each pair ``(ids[src], ids[dst])`` (NaT when none), vectorised.

    Expands the (small) per-signal pairs once, then takes the maximum date per pair by sorting."""
    n = len(ids)
    out = np.full(len(src), np.datetime64("NaT"), dtype="datetime64[ns]")
    if not len(inv) or not len(src):
        return out
    person = ids.get_indexer(inv["person_id"]).astype(np.int64)
    left, right = shared_pairs(person, pd.factorize(inv["signal_id"])[0])
    pair = person[left] * n + person[right]
    when = inv["reported_at"].to_numpy(dtype="datetime64[ns]")[left].astype(np.int64)
    order = np.lexsort((when, pair))
    pair, when = pair[order], when[order]
    last = np.r_[pair[1:] != pair[:-1], True]
    keys, latest = pair[last], when[last]
    want = src.astype(np.int64) * n + dst.astype(np.int64)
    pos = np.clip(np.searchsorted(keys, want), 0, max(len(keys) - 1, 0))
    hit = keys[pos] == want
    out[hit] = latest[pos[hit]].astype("datetime64[ns]")
    return out


def youth_network(
    frames: Frames,
    *,
    since: str | None = None,
    until: str | None = None,
    min_age: int = 12,
    max_age: int = 24,
    half_life_days: float = 180.0,
    edge_types: Iterable[str] = EDGE_TYPES,
    role_weights: Mapping[str, float] = ROLE_WEIGHTS,
) -> nx.Graph:
    """The youth network of a period as a weighted networkx graph.

    Parameters
    ----------
    frames : Frames
        The analysis input.
    since, until : str, optional
        Period (ISO dates, ``until`` inclusive). Default: the :data:`DEFAULT_DAYS` up to the latest
        signal date in the data.
    min_age, max_age : int, default 12 and 24
        Youth age range at the signal date (age = signal year − birth year).
    half_life_days : float, default 180
        Half-life of the recency decay of a shared signal (measured back from the period end).
    edge_types : iterable of str, default ("signal", "group", "address")
        Which links to build: shared signals, shared registered youth group, shared registration
        address during the period (addresses with more than :data:`MAX_HOUSEHOLD` youths skipped).
    role_weights : mapping, optional
        Weight per role (default :data:`ROLE_WEIGHTS`).

    Returns
    -------
    networkx.Graph
        Nodes are the youths involved in at least one signal of the period (attributes ``age``,
        ``birth_year``, ``n_signals``, ``last_signal``); edges carry ``weight`` (sum over the types),
        ``signal_weight``, ``n_signals``, ``last_signal``, ``group_weight``, ``n_groups``,
        ``address_weight``, ``n_addresses`` and ``types``. ``G.graph`` holds ``start``, ``end``,
        ``min_age``, ``max_age`` and ``involvements`` (the youth involvements as a DataFrame, for
        evidence).

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerk.frames import Frames
    >>> f = Frames.from_tables({
    ...     "signals": pd.DataFrame({"signal_id": ["s1"], "reported_at": ["2025-01-01"], "domain": ["jeugd"]}),
    ...     "persons": pd.DataFrame({"person_id": ["a", "b", "c"], "birth_year": [2008, 2009, 1970]}),
    ...     "signal_persons": pd.DataFrame({"signal_id": ["s1"] * 3, "person_id": ["a", "b", "c"],
    ...                                     "role": ["verdachte"] * 3}),
    ... })
    >>> G = youth_network(f)
    >>> sorted(G.nodes), G["a"]["b"]["n_signals"], G["a"]["b"]["weight"]
    (['a', 'b'], 1, 1.0)

    Notes
    -----
    One shared signal adds ``sqrt(w_role(u) * w_role(v)) * 0.5 ** (days / half_life)`` to the weight;
    a shared youth group and a shared address add a constant (:data:`EDGE_TYPE_WEIGHTS`). Youths
    without any shared link stay in the graph as isolated nodes (reported as such, never forced into
    a group).
    """
    return youth_graph(
        frames, since=since, until=until, min_age=min_age, max_age=max_age, half_life_days=half_life_days,
        edge_types=edge_types, role_weights=role_weights,
    ).to_networkx()


def _records(df: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as plain-Python dicts (much faster than ``DataFrame.to_dict("records")`` on large frames)."""
    cols = list(df.columns)
    return [dict(zip(cols, row, strict=True)) for row in zip(*(df[c].tolist() for c in cols), strict=True)]
