"""Interactive HTML (pyvis, offline) and Gephi exports of the youth network.

The HTML is self-contained: vis-network and tom-select are inlined (``cdn_resources="in_line"``) and
the Bootstrap links pyvis' template always adds are removed, so the page makes no network request.
Large networks stay usable: above :data:`PHYSICS_MAX_NODES` nodes physics is off and positions are
precomputed (per group, seeded); above :data:`MAX_EDGES` edges the weakest edges are aggregated away
(every node keeps its strongest edge).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from netwerk.model import MODEL
from netwerk.youth.communities import GroupDetection, to_igraph
from netwerk.youth.roles import Centrality

__all__ = ["MAX_EDGES", "PHYSICS_MAX_NODES", "export_graph", "group_colour", "write_group_html", "write_html"]

#: Above this many nodes physics is switched off and a precomputed layout is used.
PHYSICS_MAX_NODES = 500
#: Above this many edges the weakest are left out (each node keeps its strongest edge).
MAX_EDGES = 20_000
_PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf",
    "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#5254a3", "#9c9ede", "#cedb9c", "#e7ba52",
)
_CDN = re.compile(r"<(link|script)[^>]*(?:href|src)=\"https?://[^\"]*\"[^>]*>(\s*</script>)?", re.S)


def group_colour(index: int | None) -> str:
    """Colour of detected group ``index``; youths outside a group get the Person colour of the model."""
    if index is None:
        return MODEL.node("Person").colour
    return _PALETTE[index % len(_PALETTE)]


def _thin(graph: nx.Graph, max_edges: int) -> list[tuple[Any, Any, dict[str, Any]]]:
    edges = list(graph.edges(data=True))
    if len(edges) <= max_edges:
        return edges
    w = np.array([float(d.get("weight", 1.0)) for _, _, d in edges])
    keep = np.zeros(len(edges), dtype=bool)
    keep[np.argsort(-w, kind="stable")[:max_edges]] = True
    best: dict[Any, int] = {}
    for i, (u, v, _) in enumerate(edges):
        for x in (u, v):
            if x not in best or w[i] > w[best[x]]:
                best[x] = i
    keep[list(best.values())] = True
    return [e for e, k in zip(edges, keep, strict=True) if k]


def _layout(graph: nx.Graph, detection: GroupDetection, seed: int) -> dict[Any, tuple[float, float]]:
    """Fast, deterministic positions for large graphs: each detected group laid out on its own
    (seeded Fruchterman-Reingold, small), groups placed on a sunflower spiral largest first, youths
    outside groups on a ring around them. Linear in the number of nodes."""
    rng = np.random.default_rng(seed)
    blocks = [list(g) for g in detection.groups]
    rest = sorted((n for n in graph if n not in detection.membership), key=str)
    pos: dict[Any, tuple[float, float]] = {}
    golden = np.pi * (3 - np.sqrt(5))
    radius = 0.0
    for k, members in enumerate(blocks):
        g, names = to_igraph(graph.subgraph(members))
        init = rng.uniform(-1, 1, (len(names), 2)).tolist()
        coords = np.asarray(g.layout_fruchterman_reingold(seed=init, niter=200).coords, dtype=float)
        coords = coords - coords.mean(axis=0)
        coords = coords / (np.abs(coords).max() or 1.0) * (25.0 * np.sqrt(len(names)))
        r = 220.0 * np.sqrt(k + 1)
        cx, cy = r * np.cos(k * golden), r * np.sin(k * golden)
        radius = max(radius, r + 25.0 * np.sqrt(len(names)))
        pos.update({n: (float(cx + x), float(cy + y)) for n, (x, y) in zip(names, coords, strict=True)})
    if rest:
        radius += 200.0
        angle = np.linspace(0, 2 * np.pi, len(rest), endpoint=False)
        ring = radius + 60.0 * (np.arange(len(rest)) % 5)
        pos.update({n: (float(r * np.cos(t)), float(r * np.sin(t))) for n, r, t in zip(rest, ring, angle, strict=True)})
    return pos


def write_html(
    graph: nx.Graph,
    detection: GroupDetection,
    path: str | Path,
    *,
    cent: Centrality | None = None,
    title: str = "Jongerennetwerk",
    physics_max_nodes: int = PHYSICS_MAX_NODES,
    max_edges: int = MAX_EDGES,
    seed: int = 42,
) -> Path:
    """Write an interactive, self-contained HTML view of ``graph``.

    Nodes are coloured by detected group, sized by betweenness (else degree), with a tooltip showing
    pseudonym, age, number of signals and group; edge width follows the weight. Select and filter
    menus are included. Returns the path written.
    """
    from pyvis.edge import Edge
    from pyvis.network import Network

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = graph.number_of_nodes()
    physics = n <= physics_max_nodes
    net = Network(
        height="800px", width="100%", select_menu=True, filter_menu=True, cdn_resources="in_line",
        heading="",
    )
    size_of: dict[str, float] = {}
    if cent is not None and len(cent.nodes):
        b = cent.betweenness
        score = b / b.max() if b.max() > 0 else cent.degree / max(1, cent.degree.max())
        size_of = {p: 8.0 + 22.0 * float(s) for p, s in zip(cent.nodes, score, strict=True)}
    pos = {} if physics else _layout(graph, detection, seed)
    for node, d in graph.nodes(data=True):
        gi = detection.membership.get(node)
        group = detection.group_id(gi) if gi is not None else "geen groep"
        age = d.get("age")
        tip = (
            f"Pseudoniem: {node}\nLeeftijd: {int(age) if age == age and age is not None else 'onbekend'}\n"
            f"Meldingen: {d.get('n_signals', 0)}\nGroep: {group}"
        )
        kw: dict[str, Any] = {
            "label": str(node)[:8], "title": tip, "color": group_colour(gi),
            "size": size_of.get(str(node), 10.0), "group": group, "shape": MODEL.node("Person").shape,
        }
        if not physics:
            kw["x"], kw["y"], kw["physics"] = pos[node][0], pos[node][1], False
        net.add_node(str(node), **kw)
    for u, v, d in _thin(graph, max_edges):
        w = float(d.get("weight", 1.0))
        # appended directly: pyvis' add_edge scans all edges for duplicates (quadratic); a Graph has none
        net.edges.append(
            Edge(
                str(u), str(v), False, value=w, width=min(10.0, 1.0 + 2.0 * w),
                title=f"gewicht {w:.2f}; {d.get('n_signals', 0)} gezamenlijke melding(en); {d.get('types', '')}",
            ).options
        )
    if physics:
        net.barnes_hut(gravity=-3000, central_gravity=0.3, spring_length=120, spring_strength=0.04)
    else:
        net.toggle_physics(False)
    page = net.generate_html(notebook=False)
    page = _CDN.sub("", page)
    marker = (
        "<script>if (typeof network !== 'undefined') { network.once('afterDrawing', function () "
        "{ document.body.setAttribute('data-drawn', '1'); }); network.redraw(); }</script>"
    )
    page = page.replace("</body>", f"<h2 style='font-family:sans-serif'>{html.escape(title)}</h2>{marker}</body>")
    path.write_text(page, encoding="utf-8")
    return path


def write_group_html(
    graph: nx.Graph,
    detection: GroupDetection,
    directory: str | Path,
    *,
    cent: Centrality | None = None,
    seed: int = 42,
) -> list[Path]:
    """One HTML per detected group (``groep-G1.html`` ...) with the members and their mutual links."""
    directory = Path(directory)
    out = []
    for i, members in enumerate(detection.groups):
        gid = detection.group_id(i)
        sub = graph.subgraph(members)
        out.append(
            write_html(sub, detection, directory / f"groep-{gid}.html", cent=cent, title=f"Groep {gid}", seed=seed)
        )
    return out


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def export_graph(
    graph: nx.Graph, path: str | Path, fmt: str = "graphml", detection: GroupDetection | None = None
) -> Path:
    """Write ``graph`` for Gephi as GraphML or GEXF (with the detected group as node attribute ``group``).

    Attributes that are not plain scalars are converted to text, missing values left out, and the
    graph-level DataFrames dropped.
    """
    if fmt not in ("graphml", "gexf"):
        raise ValueError(f"onbekend exportformaat {fmt!r}; kies graphml of gexf")
    out = nx.Graph()
    for node, d in graph.nodes(data=True):
        attrs = {k: v for k, v in ((k, _plain(v)) for k, v in d.items()) if v is not None}
        if detection is not None:
            gi = detection.membership.get(node)
            attrs["group"] = detection.group_id(gi) if gi is not None else ""
            attrs["colour"] = group_colour(gi)
        out.add_node(str(node), **attrs)
    for u, v, d in graph.edges(data=True):
        out.add_edge(str(u), str(v), **{k: x for k, x in ((k, _plain(x)) for k, x in d.items()) if x is not None})
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(out, path)
    else:
        nx.write_gexf(out, path)
    return path
