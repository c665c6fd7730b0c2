"""Verkennen: search a subject, its ego network (depth 1-3, period and type filters), the shortest path
between two subjects, a subject's timeline, and the audited reveal of a person's identity."""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Any

import networkx as nx
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from netwerk import audit
from netwerk.services import network as network_service
from netwerk.services.common import NotFound, TooLarge
from netwerk.web import data
from netwerk.web.common import Viewer, page_viewer, render, store_of, verify_csrf
from netwerk.web.layout import graph_json

router = APIRouter()

#: label → (Dutch name, colour) for the drawing and its legend
KINDS = {
    "Person": ("persoon", "#0072B2"), "Address": ("adres", "#D55E00"), "Business": ("bedrijf", "#009E73"),
    "Signal": ("melding", "#E69F00"), "YouthGroup": ("jeugdgroep", "#CC79A7"), "Area": ("gebied", "#8a8a8a"),
    "Case": ("casus", "#882255"), "Partner": ("partner", "#44AA99"),
}


def _business_hits(store: Any, q: str) -> list[dict[str, Any]]:
    b = data.frames(store).businesses
    sel = b[b["name"].astype(str).str.contains(q, case=False, regex=False) | (b["business_id"].astype(str) == q)]
    return [{"id": f"Business:{r.business_id}", "label": "Business", "key": r.business_id, "text": r.name}
            for r in sel.head(50).itertuples()]


@router.get("/verkennen")
def search_page(request: Request, viewer: Annotated[Viewer, page_viewer("verkennen")], q: str = "",
                van: str = "", naar: str = "") -> HTMLResponse:
    store = store_of(request)
    hits: list[dict[str, Any]] = []
    error = None
    if q.strip():
        try:
            hits = network_service.search(store, viewer.actor, q, endpoint="web:/verkennen") + _business_hits(store, q)
        except TooLarge as exc:
            error = str(exc)
    return render(request, "verkennen.html", viewer, "verkennen", title="Verkennen", q=q, hits=hits, error=error,
                  kinds=KINDS, van=van, naar=naar, names=data.place_names(store))


@router.get("/verkennen/pad")
def path_page(request: Request, viewer: Annotated[Viewer, page_viewer("verkennen")], van: str = "",
              naar: str = "") -> HTMLResponse:
    store = store_of(request)
    chain, notes, error = [], [], None
    try:
        net = network_service.path(store, viewer.actor, van.strip(), naar.strip(), endpoint="web:/verkennen/pad")
        chain, notes = net.nodes, net.notes
        rels = {(e["source"], e["target"]): e["type"] for e in net.edges}
        for a, b in pairwise(chain):
            b["via"] = rels.get((a["id"], b["id"]), "")
    except (NotFound, TooLarge, ValueError) as exc:
        error = str(exc)
    return render(request, "pad.html", viewer, "verkennen", title="Kortste pad", van=van, naar=naar, chain=chain,
                  notes=notes, error=error, kinds=KINDS, names=data.place_names(store))


def _ego(request: Request, viewer: Viewer, label: str, key: str, depth: int, since: str | None,
         until: str | None) -> network_service.Network:
    return network_service.ego(store_of(request), viewer.actor, label, key, depth=depth, since=since or None,
                               until=until or None, endpoint=f"web:/verkennen/{label}/{key}")


def _kept(net: network_service.Network, centre: str, kinds: list[str] | None) -> network_service.Network:
    if not kinds:
        return net
    nodes = [n for n in net.nodes if n["id"] == centre or n.get("label") in kinds]
    ids = {n["id"] for n in nodes}
    edges = [e for e in net.edges if e["source"] in ids and e["target"] in ids]
    return network_service.Network(nodes, edges, net.truncated, net.notes)


@router.get("/verkennen/{label}/{key}")
def ego_page(request: Request, label: str, key: str, viewer: Annotated[Viewer, page_viewer("verkennen")],
             diepte: Annotated[int, Query(ge=1, le=3)] = 1, sinds: str = "", tot: str = "",
             soorten: Annotated[list[str] | None, Query()] = None) -> HTMLResponse:
    centre = f"{label}:{key}"
    try:
        net = _kept(_ego(request, viewer, label, key, diepte, sinds, tot), centre, soorten)
    except (NotFound, TooLarge, ValueError) as exc:
        return render(request, "fout.html", viewer, "verkennen", status_code=404, heading="Niet gevonden",
                      message=str(exc))
    timeline = []
    for n in net.nodes:
        if n.get("label") == "Signal":
            timeline.append({"date": str(n.get("reported_at") or "")[:10], "what": "melding",
                             "text": f"{n['key']}: {n.get('category')}"})
    for e in net.edges:
        if centre in (e["source"], e["target"]) and e.get("start_date"):
            other = e["target"] if e["source"] == centre else e["source"]
            timeline.append({"date": str(e["start_date"])[:10], "what": e.get("type", ""),
                             "text": f"{other}" + (f" tot {str(e['end_date'])[:10]}" if e.get("end_date") else "")})
    timeline.sort(key=lambda t: t["date"])
    counts: dict[str, int] = {}
    for n in net.nodes:
        counts[n.get("label", "")] = counts.get(n.get("label", ""), 0) + 1
    return render(request, "ego.html", viewer, "verkennen", title=f"Verkennen {key}", label=label, key=key,
                  centre=centre, net=net, depth=diepte, sinds=sinds, tot=tot, soorten=soorten or [], kinds=KINDS,
                  counts=counts, timeline=timeline, names=data.place_names(store_of(request)),
                  query=request.url.query, may_reveal=label == "Person" and viewer.actor.may("reveal"))


@router.get("/verkennen/{label}/{key}/graaf.json")
def ego_json(request: Request, label: str, key: str, viewer: Annotated[Viewer, page_viewer("verkennen")],
             diepte: Annotated[int, Query(ge=1, le=3)] = 1, sinds: str = "", tot: str = "",
             soorten: Annotated[list[str] | None, Query()] = None) -> Response:
    centre = f"{label}:{key}"
    try:
        net = _kept(_ego(request, viewer, label, key, diepte, sinds, tot), centre, soorten)
    except (NotFound, TooLarge, ValueError) as exc:
        return JSONResponse({"detail": str(exc)}, status_code=404)
    g = nx.Graph()
    g.add_nodes_from(n["id"] for n in net.nodes)
    g.add_edges_from((e["source"], e["target"]) for e in net.edges)
    names = data.place_names(store_of(request))
    attrs = {n["id"]: {"label": names.get(str(n.get("key")), str(n.get("key"))),
                       "color": KINDS.get(n.get("label", ""), ("", "#666"))[1],
                       "size": 12 if n["id"] == centre else 6, "kind": n.get("label", "")} for n in net.nodes}
    return JSONResponse(graph_json(g, attrs))


@router.post("/verkennen/Person/{key}/onthullen")
def reveal(request: Request, key: str, viewer: Annotated[Viewer, Depends(verify_csrf)],
           reden: Annotated[str, Form()] = "") -> HTMLResponse:
    """Reveal one person's identity through the security layer's vault (entitled role and purpose, a
    stated reason; audited there). Without a vault nothing can be revealed."""
    endpoint = f"web:POST /verkennen/Person/{key}/onthullen"
    if not viewer.actor.may("reveal") or not reden.strip():
        audit.record(viewer.actor, "herleiden", f"Person:{key}", endpoint, "geweigerd",
                     detail="geen recht" if reden.strip() else "geen reden")
        return render(request, "fout.html", viewer, "verkennen", status_code=403, heading="Niet onthuld",
                      message="Onthullen vraagt een rol en doel die dat toestaan en een reden.")
    from netwerk.access import AccessDenied
    from netwerk.auth.vault import VaultError, open_vault
    from netwerk.services.reveal import reveal as reveal_service

    settings = request.app.state.settings
    try:
        vault = open_vault(settings.vault_path, settings.vault_key, settings.vault_key_file)
    except VaultError as exc:
        audit.record(viewer.actor, "herleiden", f"Person:{key}", endpoint, "geweigerd", detail=str(exc))
        return render(request, "fout.html", viewer, "verkennen", status_code=503, heading="Geen identiteitskluis",
                      message=f"{exc}. Zonder kluis kan niemand worden herleid.")
    try:
        identity = reveal_service(store_of(request), vault, viewer.actor, key, reden.strip(), endpoint=endpoint)
    except (AccessDenied, VaultError) as exc:  # audited by the vault
        return render(request, "fout.html", viewer, "verkennen", status_code=403, heading="Niet onthuld",
                      message=str(exc))
    return render(request, "identiteit.html", viewer, "verkennen", title="Identiteit", key=key,
                  identity={_IDENTITY_LABELS.get(k, k): v for k, v in identity.items()})


#: the vault's fields as the page names them
_IDENTITY_LABELS = {"first_name": "Voornaam", "last_name": "Achternaam", "birth_date": "Geboortedatum",
                    "street": "Adres", "house_number": "Huisnummer", "postcode": "Postcode", "city": "Plaats"}
