"""Exports of a scoped subgraph: GraphML or GEXF (Gephi) or CSV, the same nodes the caller may see."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

import networkx as nx
from fastapi import APIRouter, Depends, Query, Request, Response

from api.deps import StoreDep, endpoint_of, require
from api.errors import ERRORS
from netwerk.access import Actor
from netwerk.services import network as network_service

router = APIRouter(tags=["export"], responses=ERRORS)
_MEDIA = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml", "csv": "text/csv; charset=utf-8"}


def _graph(net: network_service.Network) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for n in net.nodes:
        g.add_node(n["id"], **{k: v for k, v in n.items() if k != "id" and isinstance(v, str | int | float | bool)})
    for e in net.edges:
        g.add_edge(e["source"], e["target"], **{k: v for k, v in e.items() if k not in ("source", "target")
                                                 and isinstance(v, str | int | float | bool)})
    return g


@router.get("/export/network/{label}/{key}", response_class=Response,
            responses={200: {"content": {m: {} for m in _MEDIA.values()}, "description": "Het deelnetwerk"}})
def export_network(
    request: Request, store: StoreDep, actor: Annotated[Actor, Depends(require("export"))], label: str, key: str,
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    format: Annotated[Literal["graphml", "gexf", "csv"], Query(description="graphml, gexf of csv")] = "graphml",
) -> Response:
    """Exporteer de omgeving van één knoop (alleen wat u mag zien; gelogd) als GraphML, GEXF of CSV (randen)."""
    net = network_service.ego(store, actor, label, key, depth=depth, endpoint=endpoint_of(request))
    if format == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["source", "target", "type"])
        writer.writerows([e["source"], e["target"], e.get("type", "")] for e in net.edges)
        body = buf.getvalue().encode("utf-8")
    else:
        out = io.BytesIO()
        (nx.write_graphml if format == "graphml" else nx.write_gexf)(_graph(net), out)
        body = out.getvalue()
    name = f"netwerk-{label}-{key}.{format}".replace("/", "_")
    return Response(body, media_type=_MEDIA[format], headers={"Content-Disposition": f'attachment; filename="{name}"'})
