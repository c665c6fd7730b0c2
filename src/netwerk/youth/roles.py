"""Roles in the youth network (degree, betweenness, k-core) and links from youths to adults.

Betweenness is exact up to :data:`EXACT_BETWEENNESS_MAX` nodes; above it, it is estimated from ``k``
seeded random source vertices (Brandes & Pich 2007), scaled by ``n / k`` — the estimator networkx uses
for ``betweenness_centrality(k=...)``, computed by igraph's C core (``sources=``), which is what keeps
100k-node networks under a minute. On a large network :func:`start_centrality` computes it in a worker
process while the groups are detected (igraph holds the GIL, so a thread would not run alongside).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from netwerk.betweenness import betweenness, start_betweenness
from netwerk.frames import Frames, period
from netwerk.youth.communities import AnyGraph, GroupDetection, graph_arrays
from netwerk.youth.network import DEFAULT_DAYS, distinct, involvements

__all__ = [
    "BETWEENNESS_EDGE_BUDGET",
    "BETWEENNESS_PIVOTS",
    "BRIDGE_QUANTILE",
    "BRIDGE_SHARE",
    "CRIMINAL_PATTERN",
    "EXACT_BETWEENNESS_MAX",
    "MIN_BETWEENNESS_PIVOTS",
    "WORKER_MIN_EDGES",
    "Centrality",
    "centrality",
    "flagged_ids",
    "is_criminal_signal",
    "member_roles",
    "on_distinct",
    "start_centrality",
    "youth_adult_links",
]

#: Largest network with exact betweenness; larger ones use sampled pivots.
EXACT_BETWEENNESS_MAX = 2_000
#: Number of seeded pivots for sampled betweenness (at most; see :data:`BETWEENNESS_EDGE_BUDGET`).
BETWEENNESS_PIVOTS = 100
#: Fewest pivots on very large networks.
MIN_BETWEENNESS_PIVOTS = 16
#: Pivots x edges one centrality run may cost: a 1M-edge network gets 20 pivots, 200k edges or less 100
#: (each pivot is one breadth-first search over every edge).
BETWEENNESS_EDGE_BUDGET = 20_000_000
#: Networks with at least this many edges get their betweenness from a worker process (when a second CPU
#: is there): starting one costs under a second, hidden behind the group detection it runs alongside.
WORKER_MIN_EDGES = 200_000
#: A bridge links into another group and has a betweenness above this quantile of the whole network
#: (top 5 %), ...
BRIDGE_QUANTILE = 0.95
#: ... or links into two or more other groups with at least this share of its tie weight.
BRIDGE_SHARE = 0.5
#: Categories counted as drugs/criminal next to the ondermijning domain (matched case-insensitively on
#: category and subcategory).
CRIMINAL_PATTERN = r"drug|hennep|mensenhandel|uitbuiting|wapen|witwas"


@dataclass(frozen=True)
class Centrality:
    """Node centralities of a graph (arrays aligned with ``nodes``, sorted ids).

    Attributes
    ----------
    nodes : tuple of str
        Node ids (sorted as strings).
    degree : numpy.ndarray
        Number of neighbours.
    strength : numpy.ndarray
        Sum of edge weights.
    betweenness : numpy.ndarray
        Normalised betweenness (hop distances), exact or sampled (see ``sampled``).
    core : numpy.ndarray
        k-core number (largest k such that the node is in the k-core).
    sampled : bool
        True when betweenness was estimated from ``pivots`` sources.
    pivots : int
        Number of sources used (``n`` when exact).
    """

    nodes: tuple[str, ...]
    degree: np.ndarray
    strength: np.ndarray
    betweenness: np.ndarray
    core: np.ndarray
    sampled: bool
    pivots: int

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "person_id": list(self.nodes), "degree": self.degree, "strength": self.strength,
                "betweenness": self.betweenness, "core": self.core,
            }
        )


def centrality(
    graph: AnyGraph,
    *,
    exact_max: int = EXACT_BETWEENNESS_MAX,
    pivots: int | None = None,
    seed: int = 42,
) -> Centrality:
    """Degree, strength, betweenness and k-core number of every node.

    Parameters
    ----------
    graph : networkx.Graph
        Undirected graph with an optional ``weight`` edge attribute (used for strength only).
    exact_max : int, default :data:`EXACT_BETWEENNESS_MAX`
        Up to this many nodes betweenness is exact; above it sampled from ``pivots`` sources.
    pivots : int, optional
        Default: :data:`BETWEENNESS_PIVOTS`, fewer on very large networks so that pivots × edges stays
        within :data:`BETWEENNESS_EDGE_BUDGET` (never under :data:`MIN_BETWEENNESS_PIVOTS`).
    seed : int, default 42
        Seed of the pivot sample.

    Returns
    -------
    Centrality

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.barbell_graph(3, 0)  # two triangles joined by the edge 2-3
    >>> c = centrality(G)
    >>> c.nodes[int(c.betweenness.argmax())], c.core.tolist()
    ('2', [2, 2, 2, 2, 2, 2])

    Notes
    -----
    Betweenness is normalised like networkx (``2 / ((n-1)(n-2))`` for undirected graphs) so the exact
    values equal ``networkx.betweenness_centrality``. Node ids are returned as strings.
    """
    return start_centrality(graph, exact_max=exact_max, pivots=pivots, seed=seed, min_edges=None)()


def start_centrality(
    graph: AnyGraph,
    *,
    exact_max: int = EXACT_BETWEENNESS_MAX,
    pivots: int | None = None,
    seed: int = 42,
    min_edges: int | None = WORKER_MIN_EDGES,
) -> Callable[[], Centrality]:
    """Start :func:`centrality` of ``graph``; call the returned function for the result.

    With at least ``min_edges`` edges (None: never) and a second CPU for this process, the betweenness is
    computed by a worker process (:func:`netwerk.betweenness.start_betweenness`) while the caller goes on,
    e.g. detecting groups; otherwise here, on the call. The result is the same either way.
    """
    arr = graph_arrays(graph)
    n = len(arr.names)
    if n == 0:
        empty = np.zeros(0)
        return lambda: Centrality((), empty, empty, empty, empty.astype(int), False, 0)
    if pivots is None:
        budget = BETWEENNESS_EDGE_BUDGET // max(len(arr.src), 1)
        pivots = int(min(BETWEENNESS_PIVOTS, max(MIN_BETWEENNESS_PIVOTS, budget)))
    sampled = n > exact_max and pivots < n
    # igraph counts each (source, target) path once per source: a sample is scaled to all sources below
    sources = np.sort(np.random.default_rng(seed).choice(n, size=pivots, replace=False)).tolist() if sampled else None
    raw: Callable[[], np.ndarray]
    if min_edges is not None and len(arr.src) >= min_edges and _cpus() > 1:
        raw = start_betweenness(n, arr.src, arr.dst, sources)
    else:
        raw = partial(betweenness, arr.igraph, sources)

    def result() -> Centrality:
        g = arr.igraph
        degree = np.asarray(g.degree(), dtype=np.int64)
        strength = (np.bincount(arr.src, weights=arr.weight, minlength=n)
                    + np.bincount(arr.dst, weights=arr.weight, minlength=n))
        between = raw() * (n / pivots) if sampled else raw()
        scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
        core = np.asarray(g.coreness(), dtype=np.int64)
        return Centrality(tuple(str(x) for x in arr.names), degree, strength, between * scale, core, sampled,
                          pivots if sampled else n)

    return result


def _cpus() -> int:
    """CPUs this process may use (``sched_getaffinity`` is Linux-only)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def member_roles(
    graph: AnyGraph,
    detection: GroupDetection,
    cent: Centrality,
    *,
    bridge_quantile: float = BRIDGE_QUANTILE,
    bridge_share: float = BRIDGE_SHARE,
) -> pd.DataFrame:
    """Role of every group member and randfiguur: ``brug``, ``kern``, ``periferie`` or ``randfiguur``.

    - ``brug`` (bridge *between groups*, not "important person"): a member with ties into another
      group and either a betweenness in the top ``1 - bridge_quantile`` of the whole network (relative
      to the network, not to its group), or links into two or more other groups carrying at least
      ``bridge_share`` of its tie weight. A group leader whose ties stay inside the group is ``kern``.
    - ``kern``: the highest k-core number in its group (at least 2), when not a bridge.
    - ``periferie``: the other members; ``randfiguur``: attached youths (see
      :func:`~netwerk.youth.communities.prune_weak_members`), never a bridge or core.

    Returns ``person_id, group, member, degree, strength, betweenness, core, other_groups,
    outside_share, role`` (``member`` False for randfiguren).
    """
    arr = graph_arrays(graph)
    n = len(arr.names)
    index = pd.Index([str(x) for x in arr.names], dtype=object)
    group = np.full(n, -1, dtype=np.int64)
    member = np.zeros(n, dtype=bool)
    for of, is_member in ((detection.peripheral_of, False), (detection.membership, True)):
        if of:
            at = index.get_indexer([str(p) for p in of])
            group[at] = list(of.values())
            member[at] = is_member
    # links from each grouped youth into other groups (edge arrays, both directions)
    u = np.concatenate([arr.src, arr.dst])
    v = np.concatenate([arr.dst, arr.src])
    w = np.concatenate([arr.weight, arr.weight])
    gu, gv = group[u], group[v]
    cross = (gu >= 0) & (gv >= 0) & (gu != gv)
    n_groups = int(group.max()) + 2 if n else 1
    pairs = distinct(u[cross] * n_groups + gv[cross])  # distinct (youth, other group)
    other = np.bincount(pairs // n_groups, minlength=n)
    out_w = np.bincount(u[(gu >= 0) & (gv != gu) & (gv >= 0)], weights=w[(gu >= 0) & (gv != gu) & (gv >= 0)],
                        minlength=n)
    strength = np.asarray(cent.strength, dtype=float)
    share = np.divide(out_w, strength, out=np.zeros(n), where=strength > 0)
    df = cent.frame()
    df = df.assign(group=group, member=member, other_groups=other, outside_share=share)[group >= 0]
    top = np.quantile(cent.betweenness, bridge_quantile) if len(cent.betweenness) else 0.0
    high = (df["betweenness"] > top) & (df["betweenness"] > 0)
    multi = (df["other_groups"] >= 2) & (df["outside_share"] >= bridge_share)
    bridge = df["member"] & (df["other_groups"] >= 1) & (high | multi)
    group_core = df.loc[df["member"]].groupby("group")["core"].max()
    is_core = df["member"] & (df["core"] == df["group"].map(group_core)) & (df["core"] >= 2)
    df["role"] = np.where(~df["member"], "randfiguur", np.where(bridge, "brug", np.where(is_core, "kern", "periferie")))
    cols = ["person_id", "group", "member", "degree", "strength", "betweenness", "core", "other_groups",
            "outside_share", "role"]
    return df[cols].reset_index(drop=True)


def on_distinct(
    frame: pd.DataFrame, cols: list[str], fn: Callable[[pd.DataFrame], np.ndarray]
) -> np.ndarray:
    """``fn`` (a vectorised row test) evaluated once per distinct combination of ``cols`` (missing as
    empty text) and spread back over the rows: text matching costs per category, not per signal."""
    t = frame[cols].fillna("").astype(str)
    if t.empty:
        return np.zeros(0, dtype=bool)
    key = t[cols[0]]
    for c in cols[1:]:
        key = key + "\x1f" + t[c]
    codes, _ = pd.factorize(key)
    first = np.unique(codes, return_index=True)[1]
    return np.asarray(fn(t.iloc[first].reset_index(drop=True)), dtype=bool)[codes]


def is_criminal_signal(signals: pd.DataFrame) -> pd.Series:
    """True for signals in the ondermijning domain or with a drugs/criminal category."""

    def test(t: pd.DataFrame) -> np.ndarray:
        text = t["category"] + " " + t["subcategory"]
        criminal = text.str.contains(CRIMINAL_PATTERN, flags=re.I, regex=True)
        return ((t["domain"] == "ondermijning") | criminal).to_numpy()

    return pd.Series(on_distinct(signals, ["category", "subcategory", "domain"], test), index=signals.index)


def flagged_ids(flagged: Iterable[str] | pd.DataFrame | pd.Series | None) -> set[str]:
    """Person ids from a set/list, a Series or a DataFrame with a ``person_id`` column."""
    if flagged is None:
        return set()
    if isinstance(flagged, pd.DataFrame):
        if "person_id" not in flagged.columns:
            raise ValueError("gemarkeerde personen: DataFrame mist de kolom person_id")
        return set(flagged["person_id"].dropna().astype(str))
    if isinstance(flagged, str):
        raise ValueError("gemarkeerde personen: geef een verzameling person_ids, geen losse tekst")
    return {str(x) for x in flagged}


def youth_adult_links(
    frames: Frames,
    adults: Iterable[str] | pd.DataFrame | None = None,
    *,
    since: str | None = None,
    until: str | None = None,
    min_age: int = 12,
    max_age: int = 24,
    derive: bool = True,
) -> pd.DataFrame:
    """Links from youths to adults involved in ondermijning/drugs signals or flagged by others.

    A link is one signal of the period that involves both a youth (age ``min_age``–``max_age`` at the
    signal) and a qualifying adult (older than ``max_age`` at the signal). An adult qualifies when
    ``derive`` and involved in an ondermijning or drugs signal (:func:`is_criminal_signal`) up to the
    period end, or when listed in ``adults`` (e.g. flagged by ``netwerk.indicators`` or members of an
    ondermijning cluster).

    Parameters
    ----------
    frames : Frames
    adults : set of str, Series or DataFrame with ``person_id``, optional
        Extra (or, with ``derive=False``, the only) qualifying adults.
    since, until : str, optional
        Period (default: :data:`~netwerk.youth.network.DEFAULT_DAYS` up to the latest date).
    min_age, max_age : int
    derive : bool, default True
        Also qualify adults from their own ondermijning/drugs signals.

    Returns
    -------
    pandas.DataFrame
        One row per (youth, adult, signal): ``youth, adult, signal_id, reported_at, category,
        subcategory, domain, youth_role, adult_role, youth_age, adult_age, adult_flagged,
        adult_criminal_signals`` (number of ondermijning/drugs signals of the adult, comma-joined ids
        in ``adult_criminal_signal_ids``) and ``evidence`` (Dutch text). Sorted by youth, adult, date.

    Examples
    --------
    >>> from netwerk.frames import Frames
    >>> f = Frames.from_tables({
    ...     "signals": pd.DataFrame({"signal_id": ["s1", "s2"], "reported_at": ["2025-01-01", "2025-02-01"],
    ...                              "category": ["Ondermijning", "Overlast"],
    ...                              "subcategory": ["Drugshandel", "Jongerenoverlast"],
    ...                              "domain": ["ondermijning", "jeugd"]}),
    ...     "persons": pd.DataFrame({"person_id": ["y", "a"], "birth_year": [2008, 1980]}),
    ...     "signal_persons": pd.DataFrame({"signal_id": ["s1", "s2", "s2"], "person_id": ["a", "a", "y"],
    ...                                     "role": ["verdachte", "betrokkene", "betrokkene"]}),
    ... })
    >>> youth_adult_links(f)[["youth", "adult", "signal_id", "adult_criminal_signals"]].values.tolist()
    [['y', 'a', 's2', 1]]
    """
    if min_age > max_age:
        raise ValueError(f"leeftijdsgrenzen ongeldig: minimum {min_age} ligt boven maximum {max_age}")
    start, end = period(frames, since, until, DEFAULT_DAYS)
    given = flagged_ids(adults)
    inv = involvements(frames, start, end)
    youth = inv[(inv["age"] >= min_age) & (inv["age"] <= max_age)]
    adult = inv[(inv["age"] > max_age) | (inv["age"].isna() & inv["person_id"].isin(given))]
    # the adults' criminal history up to the period end
    crim_sig = frames.signals[(frames.signals["reported_at"] <= end) & is_criminal_signal(frames.signals)]
    crim = frames.signal_persons[frames.signal_persons["signal_id"].isin(crim_sig["signal_id"])]
    crim = crim.drop_duplicates(["signal_id", "person_id"]).sort_values(["person_id", "signal_id"])
    crim_count = crim.groupby("person_id")["signal_id"].agg(["size", lambda s: ",".join(s.astype(str))])
    crim_count.columns = ["n", "ids"]
    qualifying = set(given)
    if derive:
        qualifying |= set(crim_count.index)
    adult = adult[adult["person_id"].isin(qualifying)]
    cols = ["signal_id", "person_id", "role", "age"]
    links = youth[[*cols, "reported_at", "category", "subcategory", "domain"]].merge(
        adult[cols], on="signal_id", suffixes=("_y", "_a")
    )
    links = links.rename(
        columns={
            "person_id_y": "youth", "person_id_a": "adult", "role_y": "youth_role", "role_a": "adult_role",
            "age_y": "youth_age", "age_a": "adult_age",
        }
    )
    links["adult_flagged"] = links["adult"].isin(given)
    links["adult_criminal_signals"] = links["adult"].map(crim_count["n"]).fillna(0).astype(int)
    links["adult_criminal_signal_ids"] = links["adult"].map(crim_count["ids"]).fillna("")
    why_crim = np.where(
        links["adult_criminal_signals"] > 0,
        "betrokken bij " + links["adult_criminal_signals"].astype(str) + " ondermijnings-/drugsmelding(en)",
        "",
    )
    why_flag = np.where(links["adult_flagged"], "gemarkeerd door de indicatorenanalyse", "")
    why = pd.Series(
        [" en ".join(x for x in pair if x) for pair in zip(why_crim, why_flag, strict=True)], index=links.index
    )
    links["evidence"] = (
        "Jongere (" + links["youth_age"].astype("Int64").astype(str) + " jr, " + links["youth_role"].fillna("?")
        + ") en volwassene (" + links["adult_age"].astype("Int64").astype(str) + " jr, "
        + links["adult_role"].fillna("?") + ") samen in melding " + links["signal_id"].astype(str) + " van "
        + links["reported_at"].dt.strftime("%Y-%m-%d") + " (" + links["subcategory"].fillna(links["category"])
        .fillna("onbekend").astype(str) + "); de volwassene is " + why + "."
    )
    out_cols = [
        "youth", "adult", "signal_id", "reported_at", "category", "subcategory", "domain", "youth_role",
        "adult_role", "youth_age", "adult_age", "adult_flagged", "adult_criminal_signals",
        "adult_criminal_signal_ids", "evidence",
    ]
    return links[out_cols].sort_values(["youth", "adult", "reported_at", "signal_id"]).reset_index(drop=True)
