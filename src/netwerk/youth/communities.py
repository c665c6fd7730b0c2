"""Group detection in the youth network: seeded Leiden community detection on modularity.

Method choice (measured by ``bench/bench_groups.py`` on a 100k-node / 1M-edge planted-partition graph,
see docs/youth.md): igraph's built-in ``community_leiden`` on the modularity objective is the fastest
of networkx Louvain, igraph multilevel (Louvain), igraph Leiden and the leidenalg package, at equal or
better modularity, and Leiden guarantees connected communities (Louvain does not).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

__all__ = ["GroupDetection", "detect_groups", "detect_membership", "prune_weak_members", "to_igraph"]


@dataclass(frozen=True)
class GroupDetection:
    """The result of :func:`detect_groups`.

    Attributes
    ----------
    groups : tuple of tuple of str
        Detected groups (sorted member ids), at least ``min_size`` members each; largest first, ties
        by first member id. Group ``i`` is called ``f"G{i + 1}"``.
    small_components : tuple of tuple of str
        Connected components smaller than ``min_size`` (2 or more youths): reported, not forced into
        a group.
    isolated : tuple of str
        Youths without any link.
    loose : tuple of str
        Youths in a large component whose community is smaller than ``min_size``.
    membership : dict
        Person id -> group index (only members of ``groups``).
    modularity : float
        Weighted modularity (at ``resolution``) of the whole partition on the whole graph.
    group_modularity : tuple of float
        Each group's contribution ``L_c / m - resolution * (d_c / 2m)^2`` to the modularity.
    method, resolution, seed : str, float, int
        How the groups were found.
    """

    groups: tuple[tuple[str, ...], ...]
    small_components: tuple[tuple[str, ...], ...]
    isolated: tuple[str, ...]
    loose: tuple[str, ...]
    membership: dict[str, int]
    modularity: float
    group_modularity: tuple[float, ...]
    method: str
    resolution: float
    seed: int
    min_size: int = 3

    def group_id(self, index: int) -> str:
        return f"G{index + 1}"


def to_igraph(graph: nx.Graph, weight: str = "weight") -> tuple[ig.Graph, list[str]]:
    """An undirected weighted igraph of ``graph`` with vertices in sorted node order (deterministic)."""
    names = sorted(graph.nodes, key=str)
    index = {n: i for i, n in enumerate(names)}
    m = graph.number_of_edges()
    if m:
        adj = graph._adj  # the raw dict of dicts: iterating the public views costs 3x more
        # flat comprehensions over the adjacency dicts: each edge appears twice, keep src < dst
        a = np.fromiter((index[u] for u, nbrs in adj.items() for _ in nbrs), dtype=np.int64)
        b = np.fromiter((index[v] for nbrs in adj.values() for v in nbrs), dtype=np.int64)
        ws = [d.get(weight, 1.0) for nbrs in adj.values() for d in nbrs.values()]
        keep = a <= b  # self-loops appear once
        src, dst = a[keep], b[keep]
        w = np.asarray(ws, dtype=float)[keep]
    else:
        src = dst = np.empty(0, dtype=np.int64)
        w = np.empty(0, dtype=float)
    order = np.lexsort((dst, src))
    g = ig.Graph(n=len(names), edges=list(zip(src[order].tolist(), dst[order].tolist(), strict=True)), directed=False)
    g.es["weight"] = w[order].tolist()
    return g, names


#: Up to this many edges Leiden iterates until stable; above it, :data:`LARGE_ITERATIONS` iterations.
CONVERGE_MAX_EDGES = 200_000
#: Leiden iterations on large graphs (igraph's default; measured: more iterations add < 1e-4 modularity
#: at several times the cost on 1M edges).
LARGE_ITERATIONS = 2


def detect_membership(
    g: ig.Graph, *, resolution: float = 1.0, seed: int = 42, method: str = "leiden"
) -> list[int]:
    """Community membership per vertex of an igraph (weights in ``g.es["weight"]`` when present).

    ``method`` is ``"leiden"`` (igraph's Leiden on modularity; run until stable up to
    :data:`CONVERGE_MAX_EDGES` edges, else :data:`LARGE_ITERATIONS` iterations), ``"multilevel"``
    (igraph Louvain) or ``"leidenalg"`` (the leidenalg package, RBConfiguration). igraph draws its
    random numbers from Python's ``random`` module: a private ``random.Random(seed)`` is installed for
    the call and the default restored afterwards.
    """
    weights = g.es["weight"] if "weight" in g.es.attributes() else None
    if method == "leidenalg":
        import leidenalg

        part = leidenalg.find_partition(
            g, leidenalg.RBConfigurationVertexPartition, weights=weights,
            resolution_parameter=resolution, seed=seed, n_iterations=-1,
        )
        return list(part.membership)
    if method not in ("leiden", "multilevel"):
        raise ValueError(f"onbekende methode {method!r}; kies leiden, multilevel of leidenalg")
    ig.set_random_number_generator(random.Random(seed))
    try:
        if method == "leiden":
            iterations = -1 if g.ecount() <= CONVERGE_MAX_EDGES else LARGE_ITERATIONS
            clus = g.community_leiden(
                objective_function="modularity", weights=weights, resolution=resolution, n_iterations=iterations
            )
        else:
            clus = g.community_multilevel(weights=weights, resolution=resolution)
    finally:
        ig.set_random_number_generator(random)
    return list(clus.membership)


def detect_groups(
    graph: nx.Graph,
    *,
    resolution: float = 1.0,
    seed: int = 42,
    min_size: int = 3,
    method: str = "leiden",
    weight: str = "weight",
) -> GroupDetection:
    """Detect groups in a (youth) network with seeded community detection.

    Parameters
    ----------
    graph : networkx.Graph
        Undirected graph; node ids are sorted (as strings) before detection, so the same input gives
        the same groups whatever the insertion order.
    resolution : float, default 1.0
        Modularity resolution: higher gives more, smaller groups.
    seed : int, default 42
        Random seed (same seed, same groups).
    min_size : int, default 3
        Smallest group; smaller components and communities are reported apart.
    method : {"leiden", "multilevel", "leidenalg"}, default "leiden"
        See :func:`detect_membership`.
    weight : str, default "weight"
        Edge attribute with the weight (missing: 1).

    Returns
    -------
    GroupDetection

    Examples
    --------
    >>> G = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(4))
    >>> G.add_edge(3, 4)
    >>> G.add_node(99)
    >>> res = detect_groups(G)
    >>> res.groups, res.isolated, round(res.modularity, 3)
    (((0, 1, 2, 3), (4, 5, 6, 7)), (99,), 0.423)

    Notes
    -----
    Leiden (Traag et al. 2019) refines Louvain so that every community is connected. Only
    components of at least ``min_size`` nodes are partitioned; modularity is computed on the whole
    graph with every small component and isolated node as its own community.

    References
    ----------
    .. [1] Traag, V. A., Waltman, L., & van Eck, N. J. (2019). From Louvain to Leiden: guaranteeing
       well-connected communities. Scientific Reports 9, 5233.
    .. [2] Newman, M. E. J. (2006). Modularity and community structure in networks. PNAS 103, 8577.
    """
    if resolution <= 0:
        raise ValueError(f"resolutie moet positief zijn, kreeg {resolution}")
    if min_size < 2:
        raise ValueError(f"minimale groepsgrootte moet minstens 2 zijn, kreeg {min_size}")
    if graph.is_directed():
        raise ValueError("groepsdetectie verwacht een ongerichte graaf")
    g, names = to_igraph(graph, weight)
    n = len(names)
    comp = np.asarray(g.connected_components().membership, dtype=np.int64) if n else np.empty(0, np.int64)
    comp_size = np.bincount(comp) if n else np.empty(0, np.int64)
    big = comp_size[comp] >= min_size if n else np.zeros(0, bool)
    membership = np.full(n, -1, dtype=np.int64)
    if big.any():
        idx = np.flatnonzero(big)
        sub = g.induced_subgraph(idx.tolist())
        membership[idx] = detect_membership(sub, resolution=resolution, seed=seed, method=method)
    return _result(g, names, comp, membership, min_size=min_size, method=method, resolution=resolution, seed=seed)


def _result(
    g: ig.Graph,
    names: list[str],
    comp: np.ndarray,
    membership: np.ndarray,
    *,
    min_size: int,
    method: str,
    resolution: float,
    seed: int,
) -> GroupDetection:
    """Assemble a :class:`GroupDetection` from component ids and community labels (-1: no community)."""
    n = len(names)
    comp_size = np.bincount(comp) if n else np.empty(0, np.int64)
    big = comp_size[comp] >= min_size if n else np.zeros(0, bool)
    # communities in big components; everything else becomes its own block for the modularity
    full = membership.copy()
    nxt = int(membership.max()) + 1 if n else 0
    rest = np.flatnonzero(full < 0)
    full[rest] = nxt + np.where(big[rest], n + rest, comp[rest])  # small component: one block; loose: alone
    full = np.unique(full, return_inverse=True)[1] if n else full
    weights = g.es["weight"] if g.ecount() else None
    modularity = float(g.modularity(full.tolist(), weights=weights, resolution=resolution)) if g.ecount() else 0.0

    name_arr = np.array(names, dtype=object)
    groups: list[tuple[str, ...]] = []
    loose: list[str] = []
    for members in _blocks(name_arr, membership):
        if len(members) >= min_size:
            groups.append(tuple(members))
        else:
            loose.extend(members)
    loose.extend(name_arr[(membership < 0) & big].tolist())
    groups.sort(key=lambda m: (-len(m), str(m[0])))
    small: list[tuple[str, ...]] = []
    isolated: list[str] = []
    for members in _blocks(name_arr, np.where(big, -1, comp)):
        if len(members) == 1:
            isolated.append(members[0])
        else:
            small.append(tuple(members))
    small.sort(key=lambda m: (-len(m), str(m[0])))
    member_of = {p: i for i, grp in enumerate(groups) for p in grp}
    return GroupDetection(
        groups=tuple(groups),
        small_components=tuple(small),
        isolated=tuple(sorted(isolated, key=str)),
        loose=tuple(sorted(loose, key=str)),
        membership=member_of,
        modularity=modularity,
        group_modularity=tuple(_contributions(g, names, groups, resolution)),
        method=method,
        resolution=resolution,
        seed=seed,
        min_size=min_size,
    )


def _blocks(names: np.ndarray, labels: np.ndarray) -> list[list[str]]:
    """Members (sorted) of every label >= 0, in label order (one argsort, not one scan per label)."""
    idx = np.flatnonzero(labels >= 0)
    if not len(idx):
        return []
    idx = idx[np.argsort(labels[idx], kind="stable")]
    cuts = np.flatnonzero(np.diff(labels[idx])) + 1
    return [sorted(names[part].tolist(), key=str) for part in np.split(idx, cuts)]


def prune_weak_members(
    graph: nx.Graph, detection: GroupDetection, incidence: pd.DataFrame, *, min_ties: int = 2
) -> GroupDetection:
    """Drop group members that share fewer than ``min_ties`` events with the rest of their group.

    ``incidence`` lists ``(person_id, event_id)`` pairs: signals a person was involved in and, e.g.,
    ``"group:<id>"`` pseudo-events for registered youth groups. A member's ties are the distinct events
    it shares with at least one other member of its group. A youth seen once with a group is a
    contact, not a member: such youths become ``loose`` (repeated until stable, since removing one
    member can weaken another), and groups that shrink below the minimum size dissolve.

    Examples
    --------
    >>> G = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(4))
    >>> G.add_edges_from([(3, 4), (0, 9)])
    >>> det = detect_groups(G)
    >>> det.groups
    ((0, 1, 2, 3, 9), (4, 5, 6, 7))
    >>> inc = pd.DataFrame({"person_id": [0, 1, 2, 3] * 2 + [4, 5, 6, 7] * 2 + [0, 9, 3, 4],
    ...                     "event_id": ["s1"] * 4 + ["s2"] * 4 + ["s3"] * 4 + ["s4"] * 4 + ["s5"] * 2 + ["s6"] * 2})
    >>> res = prune_weak_members(G, det, inc)
    >>> res.groups, res.loose
    (((0, 1, 2, 3), (4, 5, 6, 7)), (9,))
    """
    g, names = to_igraph(graph)
    index = {p: i for i, p in enumerate(names)}
    membership = np.full(len(names), -1, dtype=np.int64)
    for p, c in detection.membership.items():
        membership[index[p]] = c
    inc = incidence[["person_id", "event_id"]].drop_duplicates()
    inc = inc[inc["person_id"].isin(index)]
    pos = inc["person_id"].map(index).to_numpy(dtype=np.int64)
    while True:
        label = membership[pos]
        df = pd.DataFrame({"pos": pos, "event": inc["event_id"].to_numpy(), "label": label})[label >= 0]
        shared = df.groupby(["event", "label"])["pos"].transform("size") >= 2
        ties = np.bincount(df.loc[shared, "pos"].to_numpy(dtype=np.int64), minlength=len(names))
        weak = (membership >= 0) & (ties < min_ties)
        if not weak.any():
            break
        membership[weak] = -1
    counts = np.bincount(membership[membership >= 0]) if (membership >= 0).any() else np.zeros(0, np.int64)
    membership[np.isin(membership, np.flatnonzero(counts < detection.min_size))] = -1
    comp = np.asarray(g.connected_components().membership, dtype=np.int64) if names else np.empty(0, np.int64)
    return _result(
        g, names, comp, membership, min_size=detection.min_size, method=detection.method,
        resolution=detection.resolution, seed=detection.seed,
    )


def _contributions(g: ig.Graph, names: list[str], groups: list[tuple[str, ...]], resolution: float) -> list[float]:
    """Per-group modularity terms ``L_c / m - resolution * (d_c / 2m)^2``."""
    if not groups or g.ecount() == 0:
        return [0.0] * len(groups)
    index = {n: i for i, n in enumerate(names)}
    label = np.full(g.vcount(), -1, dtype=np.int64)
    for i, grp in enumerate(groups):
        label[[index[p] for p in grp]] = i
    edges = np.asarray(g.get_edgelist(), dtype=np.int64)
    w = np.asarray(g.es["weight"], dtype=float)
    m = w.sum()
    lu, lv = label[edges[:, 0]], label[edges[:, 1]]
    inside = (lu == lv) & (lu >= 0)
    internal = np.bincount(lu[inside], weights=w[inside], minlength=len(groups))
    strength = np.asarray(g.strength(weights="weight"), dtype=float)
    deg = np.bincount(label[label >= 0], weights=strength[label >= 0], minlength=len(groups))
    return (internal / m - resolution * (deg / (2 * m)) ** 2).tolist()
