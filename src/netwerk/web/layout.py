"""Server-side graph layout and the graphology JSON the network pages draw with sigma.js.

The browser only draws: positions come from igraph (Fruchterman-Reingold, with its grid
approximation above :data:`GRID_ABOVE` nodes), deterministic for a given seed; networks with groups
are laid out per group (:func:`grouped_positions`), so a 5,000-node network opens at once and reads.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np

__all__ = ["GRID_ABOVE", "GROUP_COLOURS", "OUTSIDE", "graph_json", "grouped_positions", "layout_positions"]

GRID_ABOVE = 500

#: Colour-blind-safe palette (Okabe-Ito and Tol) for groups; grey for persons outside any group.
GROUP_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#882255", "#117733",
                 "#332288", "#AA4499", "#44AA99", "#999933")
OUTSIDE = "#8a8a8a"
_RNG_LOCK = threading.Lock()


def layout_positions(g: nx.Graph, seed: int = 42) -> dict[Any, tuple[float, float]]:
    """Positions in ``[-1, 1]²`` for every node of ``g`` (components laid out together).

    Parameters
    ----------
    g : networkx.Graph
    seed : int, default 42
        Seed of the initial positions; the same graph and seed give the same layout.

    Examples
    --------
    >>> pos = layout_positions(nx.path_graph(3))
    >>> sorted(pos) == [0, 1, 2] and all(-1 <= v <= 1 for xy in pos.values() for v in xy)
    True
    """
    nodes = list(g.nodes())
    if not nodes:
        return {}
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {n: i for i, n in enumerate(nodes)}
    h = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in g.edges() if a != b])
    rng = np.random.default_rng(seed)
    half = np.sqrt(len(nodes))  # FR's own scale: a smaller box makes its grid degenerate
    start = rng.uniform(-half, half, size=(len(nodes), 2)).tolist()
    big = len(nodes) > GRID_ABOVE
    with _RNG_LOCK:  # igraph's layouts draw from one process-wide generator: seed it for this call
        ig.set_random_number_generator(random.Random(seed))
        try:
            fr = h.layout_fruchterman_reingold(seed=start, niter=150 if big else 400, grid=big)
        finally:
            ig.set_random_number_generator(random)
    coords = np.asarray(fr.coords, dtype=float)
    coords -= coords.mean(axis=0)
    scale = float(np.abs(coords).max()) or 1.0
    coords /= scale
    return {n: (round(float(x), 5), round(float(y), 5)) for n, (x, y) in zip(nodes, coords, strict=True)}


def grouped_positions(g: nx.Graph, group_of: Mapping[Any, int], seed: int = 42) -> dict[Any, tuple[float, float]]:
    """A two-level layout: groups placed by their links (each group one point), members around it.

    Persons outside every group are their own group of one. A group's disc grows with the square root
    of its size, so groups stay apart and a 5,000-person network reads as groups instead of a hairball.

    Examples
    --------
    >>> g = nx.union(nx.complete_graph(["a", "b", "c"]), nx.complete_graph(["d", "e", "f"]))
    >>> pos = grouped_positions(g, {"a": 0, "b": 0, "c": 0, "d": 1, "e": 1, "f": 1})
    >>> d = lambda u, v: ((pos[u][0] - pos[v][0]) ** 2 + (pos[u][1] - pos[v][1]) ** 2) ** 0.5
    >>> d("a", "b") < d("a", "d")
    True
    """
    if g.number_of_nodes() == 0:
        return {}
    labels: dict[Any, Any] = {n: ("g", group_of[n]) if n in group_of else ("n", n) for n in g.nodes}
    members: dict[Any, list[Any]] = {}
    for n, lab in labels.items():
        members.setdefault(lab, []).append(n)
    quotient = nx.Graph()
    quotient.add_nodes_from(members)
    for a, b in g.edges():
        la, lb = labels[a], labels[b]
        if la != lb:
            w = quotient.get_edge_data(la, lb, {"weight": 0})["weight"]
            quotient.add_edge(la, lb, weight=w + 1)
    centres = layout_positions(quotient, seed=seed)
    radius = {lab: np.sqrt(len(ms)) for lab, ms in members.items()}
    spread = float(np.mean(list(radius.values()))) * 2.0 * np.sqrt(len(members))
    pos: dict[Any, tuple[float, float]] = {}
    for lab, ms in members.items():
        cx, cy = centres[lab]
        local = layout_positions(g.subgraph(ms), seed=seed) if len(ms) > 1 else {ms[0]: (0.0, 0.0)}
        for n in ms:
            x, y = local[n]
            pos[n] = (cx * spread + x * radius[lab], cy * spread + y * radius[lab])
    xy = np.asarray(list(pos.values()), dtype=float)
    xy -= xy.mean(axis=0)
    scale = float(np.abs(xy).max()) or 1.0
    return {n: (round(float(x / scale), 5), round(float(y / scale), 5)) for n, (x, y) in zip(pos, xy, strict=True)}


def graph_json(g: nx.Graph, attrs: Mapping[Any, Mapping[str, Any]], seed: int = 42,
               positions: Mapping[Any, tuple[float, float]] | None = None) -> dict[str, Any]:
    """The graph as graphology's serialisation (``graph.import(...)``), laid out server-side.

    ``attrs`` gives per node the attributes to draw and show (``label``, ``color``, ``size`` and
    anything the side panel needs); ``x``/``y`` come from ``positions`` or a fresh layout.
    """
    pos = positions if positions is not None else layout_positions(g, seed=seed)
    nodes = [{"key": str(n), "attributes": {**attrs.get(n, {}), "x": pos[n][0], "y": pos[n][1]}}
             for n in g.nodes()]
    edges = [{"source": str(a), "target": str(b)} for a, b in g.edges()]  # drawn with the defaults
    return {"attributes": {}, "options": {"type": "undirected", "multi": False}, "nodes": nodes, "edges": edges}
