"""Server-side graph layout and the graphology JSON the network pages draw with sigma.js.

The browser only draws: positions come from igraph (Fruchterman-Reingold, with its grid
approximation above :data:`GRID_ABOVE` nodes), deterministic for a given seed, so a 5,000-node network opens at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np

__all__ = ["GRID_ABOVE", "GROUP_COLOURS", "OUTSIDE", "graph_json", "layout_positions"]

GRID_ABOVE = 500

#: Colour-blind-safe palette (Okabe-Ito and Tol) for groups; grey for persons outside any group.
GROUP_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#882255", "#117733",
                 "#332288", "#AA4499", "#44AA99", "#999933")
OUTSIDE = "#8a8a8a"


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
    fr = h.layout_fruchterman_reingold(seed=start, niter=150 if big else 400, grid=big)
    coords = np.asarray(fr.coords, dtype=float)
    coords -= coords.mean(axis=0)
    scale = float(np.abs(coords).max()) or 1.0
    coords /= scale
    return {n: (round(float(x), 5), round(float(y), 5)) for n, (x, y) in zip(nodes, coords, strict=True)}


def graph_json(g: nx.Graph, attrs: Mapping[Any, Mapping[str, Any]], seed: int = 42,
               positions: Mapping[Any, tuple[float, float]] | None = None) -> dict[str, Any]:
    """The graph as graphology's serialisation (``graph.import(...)``), laid out server-side.

    ``attrs`` gives per node the attributes to draw and show (``label``, ``color``, ``size`` and
    anything the side panel needs); ``x``/``y`` come from ``positions`` or a fresh layout.
    """
    pos = positions if positions is not None else layout_positions(g, seed=seed)
    nodes = [{"key": str(n), "attributes": {**attrs.get(n, {}), "x": pos[n][0], "y": pos[n][1]}}
             for n in g.nodes()]
    edges = [{"key": f"e{i}", "source": str(a), "target": str(b),
              "attributes": {"size": float(d.get("size", 1.0)), "color": "#c8c8c8"}}
             for i, (a, b, d) in enumerate(g.edges(data=True))]
    return {"attributes": {}, "options": {"type": "undirected", "multi": False}, "nodes": nodes, "edges": edges}
