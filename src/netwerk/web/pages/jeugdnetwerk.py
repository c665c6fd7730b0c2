"""Jeugdnetwerk: the youth network drawn with sigma.js (layout from the server), filters, person panel,
neighbours on demand, and exports (GEXF, PNG)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any

import networkx as nx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from netwerk.access import Actor
from netwerk.services.cache import cached
from netwerk.services.common import read
from netwerk.store import GraphStore
from netwerk.web import data
from netwerk.web.common import Viewer, page_viewer, render, store_of
from netwerk.web.layout import GROUP_COLOURS, OUTSIDE, graph_json, grouped_positions

router = APIRouter()

ROLES = {"kern": "kern van de groep", "brug": "brug naar andere groepen", "periferie": "rand van de groep"}
#: most links drawn at once (all links stay in the GEXF export)
MAX_DRAWN_EDGES = 8000
STATUS = {"active": "bekend (geregistreerd)", "emerging": "opkomend (niet geregistreerd)",
          "small_component": "klein groepje", "fallen_apart": "uiteengevallen"}


@dataclass
class YouthView:
    """The youth network of one period as one viewer may see it: graph, groups, roles and positions."""

    graph: nx.Graph
    groups: list[dict[str, Any]]
    group_of: dict[str, int]
    role_of: dict[str, str]
    suggested: dict[str, list[str]]
    domains_of: dict[str, list[str]]
    pos: dict[str, tuple[float, float]]
    registered: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of_store(cls, store: GraphStore, actor: Actor, since: str | None, until: str | None) -> YouthView:
        """From the youth analysis (scoped and audited in :func:`netwerk.web.data.youth_network`)."""
        res, visible = data.youth_network(store, actor, since=since, until=until)
        graph = res.graph.subgraph(visible).copy()
        groups = [g for g in res.groups if g["group_id"][:1] == "G" and g["group_id"][1:].isdigit()]
        suggested: dict[str, list[str]] = {}
        for g in res.groups:
            for s in g.get("suggested_additions", []):
                suggested.setdefault(str(s["person_id"]), []).append(g["group_id"])
        fr = data.frames(store)
        sp = fr.signal_persons.merge(fr.signals[["signal_id", "domain"]], on="signal_id")
        sp = sp[sp["person_id"].isin(visible) & sp["domain"].isin(actor.domains)]
        gm = fr.group_members[fr.group_members["person_id"].isin(visible)]
        group_of = {str(p): int(i) for p, i in res.detection.membership.items() if p in visible}
        pos = cached(store, ("web-youth-layout", since, until, tuple(sorted(visible))),
                     lambda: grouped_positions(graph, group_of))
        return cls(
            graph=graph, groups=groups, group_of=group_of,
            role_of=dict(zip(res.roles["person_id"].astype(str), res.roles["role"], strict=True)),
            suggested=suggested,
            domains_of=sp.groupby("person_id")["domain"].agg(lambda s: sorted(set(s))).to_dict(),
            pos=pos, registered=gm.groupby("person_id")["group_id"].agg(list).to_dict(),
        )

    @classmethod
    def from_graph(cls, graph: nx.Graph, membership: dict[str, int], seed: int = 42) -> YouthView:
        """Any person graph with a group index per person (benchmarks, tests, other networks)."""
        sizes: dict[int, int] = {}
        for i in membership.values():
            sizes[i] = sizes.get(i, 0) + 1
        groups = [{"group_id": f"G{i + 1}", "status": "active", "status_text": "", "size": n,
                   "members": [p for p, j in membership.items() if j == i], "registered_group": None,
                   "suggested_additions": []} for i, n in sorted(sizes.items())]
        return cls(graph=graph, groups=groups, group_of=dict(membership), role_of={}, suggested={},
                   domains_of={}, pos=grouped_positions(graph, membership, seed=seed))

    @cached_property
    def emerging(self) -> set[int]:  # read once per node by attrs(): computed once
        return {int(g["group_id"][1:]) - 1 for g in self.groups if g["status"] == "emerging"}

    def select(self, group: str | None, role: str | None, domain: str | None) -> list[str]:
        """The persons shown for these filters (a group id ``G1``…, a role, a signal domain)."""
        keep = []
        for n in self.graph.nodes:
            if group and f"G{self.group_of.get(n, -2) + 1}" != group:
                continue
            if role and self.role_of.get(n) != role:
                continue
            if domain and domain not in self.domains_of.get(n, []):
                continue
            keep.append(n)
        return keep

    def attrs(self, n: str) -> dict[str, Any]:
        gi = self.group_of.get(n)
        d = self.graph.nodes[n]
        highlight = "voorgesteld" if n in self.suggested else ("opkomend" if gi in self.emerging else "")
        return {
            "label": n[:10] + ("  ★" if highlight else ""),
            "size": 4 + min(int(d.get("n_signals", 1)), 20) / 2 + (4 if highlight else 0),
            "color": GROUP_COLOURS[gi % len(GROUP_COLOURS)] if gi is not None else OUTSIDE,
            "group": f"G{gi + 1}" if gi is not None else "",
            "role": self.role_of.get(n, ""),
            "highlight": highlight,
            "n_signals": int(d.get("n_signals", 0)),
        }

    def drawn_edges(self, nodes: list[str]) -> list[tuple[str, str]]:
        """The links to draw between ``nodes``: all of them up to :data:`MAX_DRAWN_EDGES`, else that many
        (within-group links first, then the heaviest), because software WebGL slows down with every line.

        The graph's own edge order is kept; no subgraph is copied (this runs on every page request).
        """
        within = set(nodes)
        if len(within) == self.graph.number_of_nodes():
            edges = [e for e in self.graph.edges(data="weight", default=1.0)]  # list() would count first
        else:
            edges = [e for e in self.graph.edges(within, data="weight", default=1.0) if e[1] in within]
        if len(edges) <= MAX_DRAWN_EDGES:
            return [(a, b) for a, b, _ in edges]
        g = self.group_of
        rank = sorted(range(len(edges)), key=lambda i: (g.get(edges[i][0], -1) != g.get(edges[i][1], -2),
                                                        -float(edges[i][2])))
        keep = sorted(rank[:MAX_DRAWN_EDGES])
        return [(edges[i][0], edges[i][1]) for i in keep]

    def drawn(self, nodes: list[str]) -> nx.Graph:
        """The subgraph to draw: every node, and the links of :meth:`drawn_edges` (with their data)."""
        sub = nx.Graph()
        sub.add_nodes_from((n, self.graph.nodes[n]) for n in nodes)
        sub.add_edges_from((a, b, self.graph.edges[a, b]) for a, b in self.drawn_edges(nodes))
        return sub

    def payload(self, nodes: list[str]) -> dict[str, Any]:
        sub = nx.Graph()
        sub.add_nodes_from(nodes)
        sub.add_edges_from(self.drawn_edges(nodes))
        return graph_json(sub, {n: self.attrs(n) for n in nodes}, positions=self.pos)


Filters = dict[str, str]


def _filters(sinds: str | None = None, tot: str | None = None, groep: str | None = None, rol: str | None = None,
             domein: str | None = None) -> Filters:
    return {"sinds": sinds or "", "tot": tot or "", "groep": groep or "", "rol": rol or "", "domein": domein or ""}


FilterDep = Annotated[Filters, Depends(_filters)]


def youth_view(request: Request, viewer: Annotated[Viewer, page_viewer("jeugdnetwerk")],
               f: FilterDep) -> YouthView:
    """The network behind every route of this page (tests and the benchmark override this dependency)."""
    return YouthView.of_store(store_of(request), viewer.actor, f["sinds"] or None, f["tot"] or None)


ViewDep = Annotated[YouthView, Depends(youth_view)]


@router.get("/jeugdnetwerk")
def network_page(request: Request, viewer: Annotated[Viewer, page_viewer("jeugdnetwerk")],
                 f: FilterDep, view: ViewDep) -> HTMLResponse:
    shown = view.select(f["groep"], f["rol"], f["domein"])
    legend = [(g["group_id"], GROUP_COLOURS[(int(g["group_id"][1:]) - 1) % len(GROUP_COLOURS)],
               STATUS.get(g["status"], g["status"])) for g in view.groups]
    domains = sorted({d for ds in view.domains_of.values() for d in ds})
    n_edges = view.graph.subgraph(shown).number_of_edges()
    # the person list (#kies-persoon) is filled by graaf.js from the drawn graph: 5,000 <option>s in the
    # HTML cost the server and the parser more than the script that adds them after the first draw
    return render(request, "jeugdnetwerk.html", viewer, "jeugdnetwerk", title="Jeugdnetwerk", f=f,
                  n_nodes=len(shown), n_edges=n_edges, n_drawn_edges=min(n_edges, MAX_DRAWN_EDGES),
                  groups=view.groups, legend=legend, outside=OUTSIDE, roles=ROLES, status=STATUS,
                  domains=domains, persons=set(shown), query=request.url.query)


@router.get("/jeugdnetwerk/graaf.json")
def network_json(f: FilterDep, view: ViewDep) -> JSONResponse:
    return JSONResponse(view.payload(view.select(f["groep"], f["rol"], f["domein"])))


@router.get("/jeugdnetwerk/buren.json")
def neighbours_json(id: str, view: ViewDep) -> JSONResponse:
    """The node and its direct neighbours (whatever the filters hide), to add to the drawing."""
    if id not in view.graph:
        return JSONResponse({"detail": "onbekende persoon"}, status_code=404)
    return JSONResponse(view.payload([id, *view.graph.neighbors(id)]))


@router.get("/jeugdnetwerk/persoon/{pid}")
def person_panel(request: Request, pid: str, viewer: Annotated[Viewer, page_viewer("jeugdnetwerk")],
                 view: ViewDep) -> HTMLResponse:
    """The side panel of one person: signals, groups and role (a person-level read, audited)."""
    store = store_of(request)
    if pid not in view.graph:
        return HTMLResponse("<p>Deze persoon staat niet in het netwerk dat u mag zien.</p>", status_code=404)
    fr = data.frames(store)
    sids = fr.signal_persons.loc[fr.signal_persons["person_id"] == pid, "signal_id"]
    sig = fr.signals[fr.signals["signal_id"].isin(sids) & fr.signals["domain"].isin(viewer.actor.domains)]
    sig = sig.sort_values("reported_at", ascending=False)
    member_of = [g for g in view.groups if pid in g.get("members", [])]
    suggested_for = view.suggested.get(pid, [])
    registered = view.registered.get(pid, [])
    read(viewer.actor, f"Person:{pid}", "web:/jeugdnetwerk/persoon", [pid])
    node = view.graph.nodes[pid]
    return render(request, "_persoon.html", viewer, "jeugdnetwerk", pid=pid, node=node, attrs=view.attrs(pid),
                  signals=sig.head(50).to_dict("records"), n_signals=len(sig), member_of=member_of,
                  suggested_for=suggested_for, registered=registered, roles=ROLES, degree=view.graph.degree(pid))


@router.get("/jeugdnetwerk/export.gexf")
def export_gexf(viewer: Annotated[Viewer, page_viewer("jeugdnetwerk")], f: FilterDep, view: ViewDep) -> Response:
    nodes = view.select(f["groep"], f["rol"], f["domein"])
    sub = nx.Graph(view.graph.subgraph(nodes))
    for n in nodes:
        a = view.attrs(n)
        sub.nodes[n].clear()
        sub.nodes[n].update(group=a["group"], role=a["role"], highlight=a["highlight"], n_signals=a["n_signals"],
                            viz={"position": {"x": view.pos[n][0] * 1000, "y": view.pos[n][1] * 1000, "z": 0.0}})
    for _, _, d in sub.edges(data=True):
        for k in [k for k, v in d.items() if not isinstance(v, int | float | str)]:
            del d[k]
    read(viewer.actor, "jeugdnetwerk:export", "web:/jeugdnetwerk/export.gexf", nodes, bulk=True)
    body = "\n".join(nx.generate_gexf(sub))
    return Response(body, media_type="application/gexf+xml",
                    headers={"Content-Disposition": 'attachment; filename="jeugdnetwerk.gexf"'})


@router.get("/jeugdnetwerk/export.png")
def export_png(f: FilterDep, view: ViewDep) -> Response:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    nodes = view.select(f["groep"], f["rol"], f["domein"])
    fig, ax = plt.subplots(figsize=(10, 10), dpi=120)
    for a, b in view.graph.subgraph(nodes).edges():
        ax.plot([view.pos[a][0], view.pos[b][0]], [view.pos[a][1], view.pos[b][1]], color="#c8c8c8", lw=0.5,
                zorder=1)
    at = [view.attrs(n) for n in nodes]
    ax.scatter([view.pos[n][0] for n in nodes], [view.pos[n][1] for n in nodes], s=[a["size"] * 6 for a in at],
               c=[a["color"] for a in at], edgecolors=["#000" if a["highlight"] else "#fff" for a in at], zorder=2)
    ax.set_axis_off()
    ax.set_title(f"Jeugdnetwerk: {len(nodes)} personen (gepseudonimiseerd)")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return Response(buf.getvalue(), media_type="image/png",
                    headers={"Content-Disposition": 'attachment; filename="jeugdnetwerk.png"'})



