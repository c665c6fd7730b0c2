"""Beheer (only the beheerder): users, the category mapping with its unknown categories, areas import."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from netwerk import audit, auth
from netwerk.access import policy
from netwerk.ingest.categories import load_categories
from netwerk.ingest.category_report import category_table, starter_mapping
from netwerk.ingest.safe_csv import neutralise
from netwerk.ingest.schema import DOMAINS
from netwerk.web.common import Viewer, page_viewer, render, store_of, verify_csrf

router = APIRouter()


def _table(request: Request) -> pd.DataFrame:
    pairs = store_of(request).nodes_df("Signal")
    if pairs.empty:
        pairs = pairs.reindex(columns=["category", "subcategory"])
    return category_table(pairs["category"], pairs["subcategory"], load_categories())


def _denied(request: Request, viewer: Viewer, what: str) -> HTMLResponse | None:
    if viewer.may("beheer"):
        return None
    audit.record(viewer.actor, "wijzigen", what, f"web:POST {request.url.path}", "geweigerd")
    return render(request, "fout.html", viewer, None, status_code=403, heading="Geen toegang",
                  message="Alleen de beheerder mag dit.")


@router.get("/beheer")
def admin_page(request: Request, viewer: Annotated[Viewer, page_viewer("beheer")], melding: str = "") -> HTMLResponse:
    store = store_of(request)
    table = _table(request)
    return render(request, "beheer.html", viewer, "beheer", title="Beheer", users=auth.list_users(store),
                  roles=list(policy().roles), categories=table.to_dict("records"),
                  n_unknown=int(table.loc[table["match"] == "onbekend", "count"].sum()) if len(table) else 0,
                  domains=[d for d in DOMAINS if d != "onbekend"], message=melding)


@router.get("/beheer/categorieen.csv")
def mapping_csv(request: Request, viewer: Annotated[Viewer, page_viewer("beheer")]) -> Response:
    """A starting mapping table to edit and pass to ``netwerk ingest --categories``."""
    body = neutralise(starter_mapping(_table(request))).to_csv(index=False)
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="categorieen.csv"'})


@router.post("/beheer/gebruikers")
def add_user(request: Request, viewer: Annotated[Viewer, Depends(verify_csrf)],
             naam: Annotated[str, Form()], rol: Annotated[str, Form()],
             wachtwoord: Annotated[str, Form()]) -> Response:
    if (refused := _denied(request, viewer, f"user:{naam}")) is not None:
        return refused
    try:
        auth.add_user(store_of(request), naam.strip(), wachtwoord, rol, by=viewer.actor)
    except ValueError as exc:
        return RedirectResponse(f"/beheer?melding={exc}", status_code=303)
    return RedirectResponse(f"/beheer?melding=Gebruiker {naam.strip()} toegevoegd", status_code=303)


@router.post("/beheer/gebruikers/{naam}/uitschakelen")
def disable_user(request: Request, naam: str, viewer: Annotated[Viewer, Depends(verify_csrf)]) -> Response:
    if (refused := _denied(request, viewer, f"user:{naam}")) is not None:
        return refused
    try:
        auth.disable_user(store_of(request), naam, by=viewer.actor)
    except ValueError as exc:
        return RedirectResponse(f"/beheer?melding={exc}", status_code=303)
    return RedirectResponse(f"/beheer?melding=Gebruiker {naam} uitgeschakeld", status_code=303)


@router.post("/beheer/categorieen")
def set_domain(request: Request, viewer: Annotated[Viewer, Depends(verify_csrf)],
               categorie: Annotated[str, Form()], subcategorie: Annotated[str, Form()] = "",
               domein: Annotated[str, Form()] = "") -> Response:
    """Give the signals of one (category, subcategory) a domain in the store (the analyses follow)."""
    if (refused := _denied(request, viewer, f"categorie:{categorie}")) is not None:
        return refused
    if domein not in DOMAINS:
        return RedirectResponse("/beheer?melding=Kies een domein", status_code=303)
    store = store_of(request)
    sig = store.nodes_df("Signal")
    hit = sig[(sig["category"].fillna("") == categorie) & (sig["subcategory"].fillna("") == subcategorie)]
    store.upsert_nodes("Signal", [{"signal_id": s, "domain": domein} for s in hit["signal_id"]])
    audit.record(viewer.actor, "wijzigen", f"categorie:{categorie}/{subcategorie}", "web:POST /beheer/categorieen",
                 n=len(hit), detail=f"domein {domein}")
    return RedirectResponse(f"/beheer?melding={len(hit)} meldingen kregen domein {domein}", status_code=303)


@router.post("/beheer/gebieden")
async def import_areas(request: Request, viewer: Annotated[Viewer, Depends(verify_csrf)],
                       bestand: Annotated[UploadFile, File()], soort: Annotated[str, Form()] = "buurt") -> Response:
    """Import areas (GeoPackage, GeoJSON or TopoJSON) as ``netwerk gebieden import`` does."""
    from netwerk.commands.gebieden import import_areas as store_areas
    from netwerk.geo.areas import AreaFileError, load_area_file

    if (refused := _denied(request, viewer, "gebieden")) is not None:
        return refused
    suffix = Path(bestand.filename or "gebieden.geojson").suffix or ".geojson"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"gebieden{suffix}"
        path.write_bytes(await bestand.read())
        try:
            areas = load_area_file(path, soort)
        except (AreaFileError, ValueError) as exc:
            return RedirectResponse(f"/beheer?melding=Niet ingelezen: {exc}", status_code=303)
    counts = store_areas(store_of(request), areas)
    audit.record(viewer.actor, "wijzigen", "gebieden", "web:POST /beheer/gebieden", n=len(areas))
    return RedirectResponse(f"/beheer?melding={len(areas)} gebieden ingelezen ({counts})", status_code=303)
