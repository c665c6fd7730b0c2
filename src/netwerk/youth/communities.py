"""Group detection in the youth network: seeded Leiden community detection on modularity.

Method choice (measured by ``bench/bench_groups.py`` on a 100k-node / 1M-edge planted-partition graph,
see docs/youth.md): igraph's built-in ``community_leiden`` on the modularity objective is the fastest
of networkx Louvain, igraph multilevel (Louvain), igraph Leiden and the leidenalg package, at equal or
better modularity, and Leiden guarantees connected communities (Louvain does not).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from netwerk.youth.network import GraphArrays, YouthNetwork, distinct

__all__ = [
    "MIN_JOINT_EVENTS",
    "AnyGraph",
    "GroupDetection",
    "detect_groups",
    "detect_membership",
    "graph_arrays",
    "prune_weak_members",
    "to_igraph",
]

#: What the analyses accept as a graph: a networkx graph, the youth network or its arrays.
AnyGraph: TypeAlias = nx.Graph | YouthNetwork | GraphArrays
#: A community is a group only when at least this many events (signals, registered groups) tie two or
#: more of its members together: one shared signal makes a gathering, not a group.
MIN_JOINT_EVENTS = 2


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
    peripheral : tuple of tuple of str
        Per group, its *randfiguren* (see :func:`prune_weak_members`): youths of the group's community
        that share an event with it but fewer than ``min_ties``; attached to the group, not members.
    peripheral_of : dict
        Randfiguur id -> group index.
    gatherings : tuple of tuple of str
        Communities seen together in fewer than :data:`MIN_JOINT_EVENTS` events or too small without
        their randfiguren: reported apart, neither a group nor loose.
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
    peripheral: tuple[tuple[str, ...], ...] = ()
    peripheral_of: dict[str, int] = field(default_factory=dict)
    gatherings: tuple[tuple[str, ...], ...] = ()

    def group_id(self, index: int) -> str:
        return f"G{index + 1}"


def graph_arrays(graph: AnyGraph, weight: str = "weight") -> GraphArrays:
    """The arrays (and igraph) of any accepted graph; the youth network's are built once and cached."""
    if isinstance(graph, YouthNetwork):
        return graph.arrays
    if isinstance(graph, GraphArrays):
        return graph
    return GraphArrays.from_networkx(graph, weight)


def to_igraph(graph: AnyGraph, weight: str = "weight") -> tuple[ig.Graph, list[Any]]:
    """An undirected weighted igraph of ``graph`` with vertices in sorted node order (deterministic)."""
    arr = graph_arrays(graph, weight)
    return arr.igraph, arr.names


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
    graph: AnyGraph,
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
    graph : networkx.Graph, YouthNetwork or GraphArrays
        Undirected graph; node ids are sorted (as strings) before detection, so the same input gives
        the same groups whatever the insertion order. The youth network's igraph is built once from
        its edge arrays and reused (no networkx conversion).
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
    if isinstance(graph, nx.Graph) and graph.is_directed():
        raise ValueError("groepsdetectie verwacht een ongerichte graaf")
    arr = graph_arrays(graph, weight)
    g, names = arr.igraph, arr.names
    n = len(names)
    comp = np.asarray(g.connected_components().membership, dtype=np.int64) if n else np.empty(0, np.int64)
    comp_size = np.bincount(comp) if n else np.empty(0, np.int64)
    big = comp_size[comp] >= min_size if n else np.zeros(0, bool)
    membership = np.full(n, -1, dtype=np.int64)
    if big.all() and n:  # no copy of a large graph when every youth is in a large component
        membership[:] = detect_membership(g, resolution=resolution, seed=seed, method=method)
    elif big.any():
        idx = np.flatnonzero(big)
        sub = g.induced_subgraph(idx.tolist())
        membership[idx] = detect_membership(sub, resolution=resolution, seed=seed, method=method)
    return _result(arr, comp, membership, min_size=min_size, method=method, resolution=resolution, seed=seed)


def _result(
    arr: GraphArrays,
    comp: np.ndarray,
    membership: np.ndarray,
    *,
    min_size: int,
    method: str,
    resolution: float,
    seed: int,
    peripheral: np.ndarray | None = None,
    gathering: np.ndarray | None = None,
) -> GroupDetection:
    """Assemble a :class:`GroupDetection` from component ids and community labels (-1: no community);
    ``peripheral`` (group label of each randfiguur, else -1) and ``gathering`` (gathering label, else -1)
    only after pruning."""
    g, names = arr.igraph, arr.names
    n = len(names)
    peripheral = np.full(n, -1, np.int64) if peripheral is None else peripheral
    gathering = np.full(n, -1, np.int64) if gathering is None else gathering
    comp_size = np.bincount(comp) if n else np.empty(0, np.int64)
    big = comp_size[comp] >= min_size if n else np.zeros(0, bool)
    # communities in big components; everything else becomes its own block for the modularity
    full = membership.copy()
    nxt = int(membership.max()) + 1 if n else 0
    rest = np.flatnonzero(full < 0)
    full[rest] = nxt + np.where(big[rest], n + rest, comp[rest])  # small component: one block; loose: alone
    full = np.unique(full, return_inverse=True)[1] if n else full
    modularity = float(g.modularity(full.tolist(), weights="weight", resolution=resolution)) if g.ecount() else 0.0

    name_arr = np.array(names, dtype=object)
    rand_of = _by_label(name_arr, peripheral)
    found: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    loose: list[str] = []
    found_label: list[int] = []
    for c, members in _labelled_blocks(name_arr, membership):
        if len(members) + len(rand_of.get(c, ())) >= min_size:
            found.append((tuple(members), rand_of.get(c, ())))
            found_label.append(c)
        else:
            loose.extend(members)
    attached = (peripheral >= 0) | (gathering >= 0)
    loose.extend(name_arr[(membership < 0) & big & ~attached].tolist())
    rank = sorted(range(len(found)), key=lambda i: (-len(found[i][0]), -len(found[i][1]), str(found[i][0][0])))
    found = [found[i] for i in rank]
    group_of = np.full(int(membership.max()) + 2 if n else 1, -1, dtype=np.int64)
    group_of[[found_label[i] for i in rank]] = np.arange(len(rank))
    vertex_group = group_of[membership]  # membership -1 reads the last entry, -1
    groups = [m[0] for m in found]
    small: list[tuple[str, ...]] = []
    isolated: list[str] = []
    for members in _blocks(name_arr, np.where(big, -1, comp)):
        if len(members) == 1:
            isolated.append(members[0])
        else:
            small.append(tuple(members))
    small.sort(key=lambda m: (-len(m), str(m[0])))
    member_of = {p: i for i, grp in enumerate(groups) for p in grp}
    gatherings = sorted((tuple(m) for _, m in _labelled_blocks(name_arr, gathering)),
                        key=lambda m: (-len(m), str(m[0])))
    return GroupDetection(
        groups=tuple(groups),
        small_components=tuple(small),
        isolated=tuple(sorted(isolated, key=str)),
        loose=tuple(sorted(loose, key=str)),
        membership=member_of,
        modularity=modularity,
        group_modularity=tuple(_contributions(arr, vertex_group, len(found), resolution)),
        method=method,
        resolution=resolution,
        seed=seed,
        min_size=min_size,
        peripheral=tuple(m[1] for m in found),
        peripheral_of={p: i for i, m in enumerate(found) for p in m[1]},
        gatherings=tuple(gatherings),
    )


def _blocks(names: np.ndarray, labels: np.ndarray) -> list[list[str]]:
    """Members (sorted) of every label >= 0, in label order (one argsort, not one scan per label)."""
    return [m for _, m in _labelled_blocks(names, labels)]


def _labelled_blocks(names: np.ndarray, labels: np.ndarray) -> list[tuple[int, list[str]]]:
    """``(label, sorted members)`` of every label >= 0, in label order."""
    idx = np.flatnonzero(labels >= 0)
    if not len(idx):
        return []
    idx = idx[np.argsort(labels[idx], kind="stable")]
    cuts = np.flatnonzero(np.diff(labels[idx])) + 1
    return [(int(labels[part[0]]), sorted(names[part].tolist(), key=str)) for part in np.split(idx, cuts)]


def _by_label(names: np.ndarray, labels: np.ndarray) -> dict[int, tuple[str, ...]]:
    return {c: tuple(m) for c, m in _labelled_blocks(names, labels)}


def prune_weak_members(
    graph: AnyGraph,
    detection: GroupDetection,
    incidence: pd.DataFrame | tuple[np.ndarray, np.ndarray],
    *,
    min_ties: int = 2,
    randfiguren: bool = True,
    min_events: int = MIN_JOINT_EVENTS,
) -> GroupDetection:
    """Split every detected community into members, randfiguren and the rest.

    ``incidence`` lists ``(person_id, event_id)`` pairs: signals a person was involved in and, e.g.,
    ``"group:<id>"`` pseudo-events for registered youth groups; or, already coded, a pair of integer
    arrays ``(vertex number, event code)`` without duplicates (what the youth network provides). A
    youth's *ties* are the distinct events it shares with at least one other youth of its community.

    - **Members**: at least ``min_ties`` ties. A youth seen once with a group is a contact, not a member.
    - **Randfiguren** (``randfiguren=True``, the default): the other youths of the community with at
      least one tie. They stay attached to their group (``peripheral``), never silently dropped, and
      count as part of it for the members' ties.
    - A community is a **group** when members and randfiguren together reach ``min_size``, it has at
      least one member and at least ``min_events`` events tie two or more of its youths together; any
      other community with a shared event is a **gathering** (``gatherings``): one 3-person signal is
      not a group, but its youths are reported.

    With ``randfiguren=False`` the old rule holds: ties are counted among the remaining members only
    (repeated until stable, since removing one member can weaken another), weak members become
    ``loose`` and groups with fewer than ``min_size`` members dissolve.

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
    >>> res.groups, res.peripheral, res.loose
    (((0, 1, 2, 3), (4, 5, 6, 7)), ((9,), ()), ())
    >>> prune_weak_members(G, det, inc, randfiguren=False).loose
    (9,)
    """
    if min_ties < 1:
        raise ValueError(f"minimaal aantal banden moet minstens 1 zijn, kreeg {min_ties}")
    arr = graph_arrays(graph)
    n = len(arr.names)
    index = pd.Index(arr.names, dtype=object)
    community = np.full(n, -1, dtype=np.int64)
    if detection.membership:
        community[index.get_indexer(list(detection.membership))] = list(detection.membership.values())
    if isinstance(incidence, tuple):
        pos, event = (np.asarray(a, dtype=np.int64) for a in incidence)
    else:
        inc = incidence[["person_id", "event_id"]].drop_duplicates()
        inc = inc[inc["person_id"].isin(index)]
        pos = index.get_indexer(inc["person_id"]).astype(np.int64)
        event = pd.factorize(inc["event_id"])[0].astype(np.int64)
    membership = community.copy()
    n_comm = int(community.max()) + 1 if n else 0
    peripheral = gathering = None
    if not randfiguren:
        while True:
            weak = (membership >= 0) & (_ties(pos, event, membership, n) < min_ties)
            if not weak.any():
                break
            membership[weak] = -1
        core = np.bincount(membership[membership >= 0], minlength=n_comm)
        membership[np.isin(membership, np.flatnonzero(core < detection.min_size))] = -1
    else:
        ties = _ties(pos, event, community, n)  # with the whole community: randfiguren stay part of it
        membership[ties < min_ties] = -1
        core = np.bincount(membership[membership >= 0], minlength=n_comm)
        tied = (community >= 0) & (ties >= 1)
        rand = tied & (membership < 0)
        total = core + np.bincount(community[rand], minlength=n_comm)
        joint = _joint_events(pos, event, community, n_comm)
        is_group = (core >= 1) & (total >= detection.min_size) & (joint >= min_events)
        in_group = np.append(is_group, False)[community]  # label -1 (no community) reads the False
        peripheral = np.where(rand & in_group, community, -1)
        gathering = np.where(tied & ~in_group, community, -1)
        membership[~in_group] = -1
    comp = np.asarray(arr.igraph.connected_components().membership, dtype=np.int64) if n else np.empty(0, np.int64)
    return _result(
        arr, comp, membership, min_size=detection.min_size, method=detection.method,
        resolution=detection.resolution, seed=detection.seed, peripheral=peripheral, gathering=gathering,
    )


def _shared(pos: np.ndarray, event: np.ndarray, label: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The involvements (``pos``, their labels) whose event has two or more youths of the same label >= 0."""
    lab = label[pos] if len(pos) else np.empty(0, np.int64)
    keep = lab >= 0
    p, e, lab = pos[keep], event[keep], lab[keep]
    key = e * (int(label.max()) + 2) + lab if len(lab) else e
    order = np.argsort(key, kind="stable")
    sk = key[order]
    starts = np.flatnonzero(np.r_[True, sk[1:] != sk[:-1]]) if len(sk) else np.empty(0, np.int64)
    counts = np.diff(np.r_[starts, len(sk)])
    shared = np.empty(len(key), dtype=bool)
    shared[order] = np.repeat(counts >= 2, counts)
    return p[shared], np.stack([e[shared], lab[shared]]) if len(lab) else np.empty((2, 0), np.int64)


def _ties(pos: np.ndarray, event: np.ndarray, label: np.ndarray, n: int) -> np.ndarray:
    """Per youth, the number of distinct events shared with another youth of the same label."""
    p, _ = _shared(pos, event, label)
    return np.bincount(p, minlength=n)


def _joint_events(pos: np.ndarray, event: np.ndarray, label: np.ndarray, n_labels: int) -> np.ndarray:
    """Per label, the number of distinct events that involve two or more of its youths."""
    _, ev = _shared(pos, event, label)
    if not ev.shape[1]:
        return np.zeros(n_labels, np.int64)
    key = distinct(ev[0] * (n_labels + 1) + ev[1])
    return np.bincount(key % (n_labels + 1), minlength=n_labels)


def _contributions(arr: GraphArrays, label: np.ndarray, n_groups: int, resolution: float) -> list[float]:
    """Per-group modularity terms ``L_c / m - resolution * (d_c / 2m)^2`` (``label``: group of each vertex
    or -1; members only, not randfiguren)."""
    if not n_groups or not len(arr.src):
        return [0.0] * n_groups
    w, m = arr.weight, arr.weight.sum()
    lu, lv = label[arr.src], label[arr.dst]
    inside = (lu == lv) & (lu >= 0)
    internal = np.bincount(lu[inside], weights=w[inside], minlength=n_groups)
    strength = np.bincount(arr.src, weights=w, minlength=len(label))
    strength += np.bincount(arr.dst, weights=w, minlength=len(label))
    deg = np.bincount(label[label >= 0], weights=strength[label >= 0], minlength=n_groups)
    return (internal / m - resolution * (deg / (2 * m)) ** 2).tolist()
