"""Kaart: the municipality's own buurten with hotspots and clusters as layers; a hotspot's detail page."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
import shapely
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from netwerk.ingest.schema import DOMAINS
from netwerk.services import hotspots as hotspot_service
from netwerk.web import data
from netwerk.web.common import Viewer, page_viewer, render, store_of
from netwerk.web.svg import Projection, bar_chart, path_of

router = APIRouter()

LAYERS = {"adres": "Hotspots op adres", "cluster": "Clusters", "buurt": "Buurten met een hotspot"}


def _filters(sinds: str | None, tot: str | None, domein: str | None, categorie: str | None) -> dict[str, Any]:
    return {"since": sinds or None, "until": tot or None, "domain": domein or None, "category": categorie or None}


def _point(h: Any, fr: Any) -> tuple[float, float] | None:
    if h.get("lat") is not None and h.get("lon") is not None:
        return float(h["lon"]), float(h["lat"])
    table, col = (fr.addresses, "address_id") if h["level"] == "address" else (fr.areas, "area_code")
    row = table[table[col] == h["key"]]
    if row.empty or pd.isna(row.iloc[0]["lat"]):
        return None
    return float(row.iloc[0]["lon"]), float(row.iloc[0]["lat"])


@router.get("/kaart")
def map_page(
    request: Request,
    viewer: Annotated[Viewer, page_viewer("kaart")],
    sinds: str | None = None,
    tot: str | None = None,
    domein: str | None = None,
    categorie: str | None = None,
    lagen: Annotated[list[str] | None, Query()] = None,
) -> HTMLResponse:
    store = store_of(request)
    fr = data.frames(store)
    shown = [x for x in (lagen or list(LAYERS)) if x in LAYERS]
    error = None
    try:
        found = hotspot_service.hotspots(store, viewer.actor, endpoint="web:/kaart",
                                         **_filters(sinds, tot, domein, categorie))
    except ValueError as exc:
        found, error = [], str(exc)
    buurten = data.areas(store)
    bounds = shapely.GeometryCollection([g for _, _, g in buurten]).bounds if buurten else None
    if not buurten or bounds is None or any(pd.isna(b) for b in bounds):
        pts = fr.addresses[["lon", "lat"]].dropna()
        bounds = (pts.lon.min(), pts.lat.min(), pts.lon.max(), pts.lat.max()) if len(pts) else (0, 0, 1, 1)
    proj = Projection.fit(tuple(float(b) for b in bounds))  # type: ignore[arg-type]
    hot_buurt = {h["key"]: h for h in found if h["level"] == "buurt"}
    shapes = [{"code": c, "name": n, "d": path_of(g, proj), "hot": hot_buurt.get(c) if "buurt" in shown else None}
              for c, n, g in buurten]
    markers = []
    for rank, h in enumerate(found, start=1):
        level = {"address": "adres", "cluster": "cluster"}.get(h["level"])
        if level not in shown:
            continue
        pt = _point(h, fr)
        if pt is None:
            continue
        x, y = proj.xy(*pt)
        markers.append({"h": h, "x": x, "y": y, "rank": rank, "r": 6 + min(h["n_signals"], 60) / 6})
    categories = sorted(fr.signals["category"].dropna().unique().tolist())
    query = request.url.query
    return render(request, "kaart.html", viewer, "kaart", title="Kaart", hotspots=found, shapes=shapes,
                  markers=markers, proj=proj, names=data.place_names(store), layers=LAYERS, shown=shown,
                  domains=DOMAINS, categories=categories, error=error, query=query,
                  f={"sinds": sinds or "", "tot": tot or "", "domein": domein or "", "categorie": categorie or ""})


@router.get("/kaart/hotspot/{level}/{key}")
def hotspot_page(
    request: Request,
    level: str,
    key: str,
    viewer: Annotated[Viewer, page_viewer("kaart")],
    sinds: str | None = None,
    tot: str | None = None,
    domein: str | None = None,
    categorie: str | None = None,
) -> HTMLResponse:
    store = store_of(request)
    found = [h for h in hotspot_service.hotspots(store, viewer.actor, endpoint="web:/kaart/hotspot",
                                                 **_filters(sinds, tot, domein, categorie))
             if h["level"] == level and h["key"] == key]
    if not found:
        return render(request, "fout.html", viewer, "kaart", status_code=404, heading="Hotspot niet gevonden",
                      message=f"Er is geen hotspot {key} ({level}) met deze filters.")
    h = found[0]
    fr = data.frames(store)
    sig = fr.signals[fr.signals["signal_id"].isin(h["evidence"])].sort_values("reported_at")
    months = sig["reported_at"].dt.to_period("M").value_counts().sort_index()
    if len(months):
        full = pd.period_range(months.index.min(), months.index.max(), freq="M")
        months = months.reindex(full, fill_value=0)
    series = [(str(p), int(n)) for p, n in months.items()]
    names = data.place_names(store)
    place = names.get(h["key"], h["key"])
    chart = bar_chart(series, f"Meldingen per maand bij {place}")
    return render(request, "hotspot.html", viewer, "kaart", title=f"Hotspot {place}", h=h,
                  signals=sig.to_dict("records"), series=series, chart=chart, names=names,
                  query=request.url.query)
