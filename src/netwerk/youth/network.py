"""The youth network: youths linked by shared signals, shared youth groups and shared addresses.

Groups of youths are fluid networks, not fixed lists (the police *groepsscan* looks at the relations
between members). :func:`youth_network` projects the person–signal data of a :class:`~netwerk.frames.Frames`
onto youths: two youths are linked when they were involved in the same signal, weighted by the number of
shared signals, how recent they are (exponential decay with a configurable half-life) and the roles
they had. Shared registered youth-group membership and a shared registration address (siblings) are
separate, switchable edge types.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from netwerk.frames import Frames, period

__all__ = [
    "DEFAULT_DAYS",
    "EDGE_TYPES",
    "EDGE_TYPE_WEIGHTS",
    "MAX_HOUSEHOLD",
    "ROLE_WEIGHTS",
    "involvements",
    "youth_edges",
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
    sp = frames.signal_persons[["signal_id", "person_id", "role"]].drop_duplicates(["signal_id", "person_id"])
    sig = frames.signals[["signal_id", "reported_at", "category", "subcategory", "domain", "description"]]
    sig = sig[(sig["reported_at"] >= start) & (sig["reported_at"] <= end)]
    df = sp.merge(sig, on="signal_id", how="inner")
    births = frames.persons.drop_duplicates("person_id").set_index("person_id")["birth_year"]
    df["birth_year"] = pd.to_numeric(df["person_id"].map(births), errors="coerce")
    df["age"] = df["reported_at"].dt.year - df["birth_year"]
    if min_age is not None:
        df = df[df["age"] >= min_age]
    if max_age is not None:
        df = df[df["age"] <= max_age]
    age_days = (end.normalize() - df["reported_at"].dt.normalize()).dt.days.to_numpy(dtype=float)
    decay = np.power(0.5, np.clip(age_days, 0, None) / half_life_days)
    role_w = df["role"].map(dict(role_weights)).fillna(0.5).to_numpy(dtype=float)
    df = df.assign(weight=role_w * decay)
    return df.reset_index(drop=True)


def _pairs(df: pd.DataFrame, key: str) -> pd.DataFrame:
    """All unordered pairs (u < v) of persons sharing ``key`` (self-join, vectorised)."""
    left = df.rename(columns={"person_id": "u"})
    right = df[[key, "person_id"]].rename(columns={"person_id": "v"})
    pairs = left.merge(right, on=key)
    return pairs[pairs["u"] < pairs["v"]]


def _signal_edges(inv: pd.DataFrame) -> pd.DataFrame:
    w = inv[["signal_id", "person_id", "weight", "reported_at"]]
    pairs = _pairs(w, "signal_id")
    other = w.set_index(["signal_id", "person_id"])["weight"]
    idx = pd.MultiIndex.from_arrays([pairs["signal_id"], pairs["v"]])
    # geometric mean of both role weights (the decay is the same for both: same signal)
    pairs = pairs.assign(w=np.sqrt(pairs["weight"].to_numpy() * other.reindex(idx).to_numpy()))
    agg = pairs.groupby(["u", "v"], sort=True).agg(
        signal_weight=("w", "sum"), n_signals=("signal_id", "size"), last_signal=("reported_at", "max")
    )
    return agg.reset_index()


def _group_edges(frames: Frames, nodes: pd.Index) -> pd.DataFrame:
    gm = frames.group_members[["group_id", "person_id"]].dropna().drop_duplicates()
    gm = gm[gm["person_id"].isin(nodes)]
    pairs = _pairs(gm, "group_id")
    agg = pairs.groupby(["u", "v"], sort=True).agg(n_groups=("group_id", "size")).reset_index()
    return agg.assign(group_weight=agg["n_groups"] * EDGE_TYPE_WEIGHTS["group"])


def _address_edges(frames: Frames, nodes: pd.Index, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    reg = frames.registrations
    live = reg[
        reg["person_id"].isin(nodes)
        & (reg["start_date"].isna() | (reg["start_date"] <= end))
        & (reg["end_date"].isna() | (reg["end_date"] >= start))
    ][["address_id", "person_id"]].dropna().drop_duplicates()
    size = live.groupby("address_id")["person_id"].transform("size")
    live = live[size <= MAX_HOUSEHOLD]
    pairs = _pairs(live, "address_id")
    agg = pairs.groupby(["u", "v"], sort=True).agg(n_addresses=("address_id", "size")).reset_index()
    return agg.assign(address_weight=EDGE_TYPE_WEIGHTS["address"] * (agg["n_addresses"] > 0))


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

    The vectorised core of :func:`youth_network` (use it directly for very large data). ``nodes`` has
    ``person_id, birth_year, age, n_signals, last_signal``; ``edges`` has ``u, v, weight, signal_weight,
    n_signals, last_signal, group_weight, n_groups, address_weight, n_addresses, types``.
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
    inv = involvements(
        frames, start, end, min_age=min_age, max_age=max_age, half_life_days=half_life_days,
        role_weights=role_weights,
    )
    nodes = (
        inv.groupby("person_id", sort=True)
        .agg(birth_year=("birth_year", "first"), n_signals=("signal_id", "nunique"), last_signal=("reported_at", "max"))
        .reset_index()
    )
    nodes["age"] = end.year - nodes["birth_year"]
    node_ids = pd.Index(nodes["person_id"])
    parts = []
    if "signal" in types:
        parts.append(_signal_edges(inv))
    if "group" in types:
        parts.append(_group_edges(frames, node_ids))
    if "address" in types:
        parts.append(_address_edges(frames, node_ids, start, end))
    cols = {
        "signal_weight": 0.0, "n_signals": 0, "group_weight": 0.0, "n_groups": 0,
        "address_weight": 0.0, "n_addresses": 0,
    }
    if parts:
        edges = parts[0]
        for p in parts[1:]:
            edges = edges.merge(p, on=["u", "v"], how="outer")
    else:
        edges = pd.DataFrame(columns=["u", "v"])
    for c, fill in cols.items():
        edges[c] = edges[c].fillna(fill).astype(type(fill)) if c in edges else fill
    if "last_signal" not in edges:
        edges["last_signal"] = pd.NaT
    edges["weight"] = edges["signal_weight"] + edges["group_weight"] + edges["address_weight"]
    code = (
        (edges["n_signals"].to_numpy() > 0) * 1 + (edges["n_groups"].to_numpy() > 0) * 2
        + (edges["n_addresses"].to_numpy() > 0) * 4
    ).astype(np.int64)
    table = np.array([",".join(t for k, t in enumerate(EDGE_TYPES) if c >> k & 1) for c in range(8)], dtype=object)
    edges["types"] = table[code]
    if len(parts) > 1:
        edges = edges.sort_values(["u", "v"], kind="stable")
    edges = edges.reset_index(drop=True)
    return nodes, edges, inv


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
    nodes, edges, inv = youth_edges(
        frames, since=since, until=until, min_age=min_age, max_age=max_age, half_life_days=half_life_days,
        edge_types=edge_types, role_weights=role_weights,
    )
    start, end = period(frames, since, until, DEFAULT_DAYS)
    G = nx.Graph(start=start, end=end, min_age=min_age, max_age=max_age, involvements=inv)
    node_attrs = nodes.assign(last_signal=nodes["last_signal"].dt.strftime("%Y-%m-%d"))
    G.add_nodes_from(zip(node_attrs["person_id"].tolist(), _records(node_attrs.drop(columns="person_id")), strict=True))
    if len(edges):
        e = edges.assign(last_signal=edges["last_signal"].dt.strftime("%Y-%m-%d").fillna(""))
        G.add_edges_from(zip(e["u"].tolist(), e["v"].tolist(), _records(e.drop(columns=["u", "v"])), strict=True))
    return G


def _records(df: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as plain-Python dicts (much faster than ``DataFrame.to_dict("records")`` on large frames)."""
    cols = list(df.columns)
    return [dict(zip(cols, row, strict=True)) for row in zip(*(df[c].tolist() for c in cols), strict=True)]
