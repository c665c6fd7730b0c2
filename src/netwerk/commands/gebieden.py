"""`netwerk gebieden import|list`: areas (CBS buurten/wijken/gemeenten, own named areas) as data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from netwerk.commands.common import Format, FormatOpt, StoreOpt, console, fail, print_json, store_from
from netwerk.geo.areas import KINDS, AreaFileError, AreaSet, area_rows, areas_for_store, load_area_file, parent_of
from netwerk.geo.labels import buurt_label
from netwerk.store.base import GraphStore

__all__ = ["import_areas", "register"]

gebieden_app = typer.Typer(help="Gebieden: buurten, wijken, gemeenten en eigen gebieden (kaarten als data).",
                           no_args_is_help=True)

SoortOpt = Annotated[str, typer.Option("--soort", help="Soort gebied: buurt, wijk, gemeente of eigen.")]


def _parents(store: GraphStore, areas: AreaSet) -> list[dict[str, Any]]:
    """Area rows for the parents (wijk, gemeente) of ``areas``, named from the national map.

    Parents already in the store are not rewritten (only their code and parent, for the hierarchy).
    """
    from netwerk.geo.national import national_areas

    wanted = {c for col in ("parent_code", "gemeente_code") for c in areas.frame[col].dropna()} - set(areas.codes)
    wanted |= {g for g in (parent_of(c)[1] for c in wanted) if g}
    if not wanted:
        return []
    missing = set(store.missing_keys("Area", sorted(wanted)))
    nat = national_areas(("wijk", "gemeente"))
    names = nat.names()
    rows = []
    for code in sorted(wanted):
        parent = parent_of(code)[0]
        if code not in missing:
            rows.append({"area_code": code, "parent_code": parent})
            continue
        found = nat.with_codes([code])
        rows.append({
            "area_code": code, "name": names.get(code, code), "parent_code": parent,
            "kind": "gemeente" if code.startswith("GM") else "wijk" if code.startswith("WK") else "eigen",
            "gemeente_code": parent_of(code)[1], "lat": float(found.frame.at[0, "lat"]) if len(found) else None,
            "lon": float(found.frame.at[0, "lon"]) if len(found) else None, "precision": "points",
            "source": "CBS 2014 (ingebouwd)" if len(found) else "afgeleid uit code",
        })
    return rows


def import_areas(store: GraphStore, areas: AreaSet) -> dict[str, int]:
    """Write areas as Area nodes with their hierarchy (buurt IN wijk IN gemeente, eigen IN gemeente).

    Parents missing from the store are added from the national map; idempotent. Returns counts.
    """
    parents = _parents(store, areas)
    added = [p for p in parents if "kind" in p]
    if added:
        store.upsert_nodes("Area", [{k: v for k, v in p.items() if v == v} for p in added])
    n = store.upsert_nodes("Area", area_rows(areas))
    links = []
    for row in areas.frame.to_dict("records"):
        parent = row["parent_code"] if row["kind"] in ("buurt", "wijk") else row["gemeente_code"]
        if isinstance(parent, str) and parent and parent != row["area_code"]:
            links.append({"start": row["area_code"], "end": parent})
    links += [{"start": p["area_code"], "end": p["parent_code"]} for p in parents if p.get("parent_code")]
    if links:
        ends = sorted({x["end"] for x in links})
        absent = set(store.missing_keys("Area", ends))
        links = [x for x in links if x["end"] not in absent]
        store.upsert_relationships("IN", links, "Area", "Area")
    return {"gebieden": n, "bovenliggend_toegevoegd": len(added), "relaties_in": len(links)}


def import_cmd(
    file: Annotated[Path, typer.Argument(help="GeoPackage (CBS wijk- en buurtkaart), GeoJSON of TopoJSON.")],
    soort: SoortOpt = "buurt",
    naam_veld: Annotated[str | None, typer.Option("--naam-veld", help="Veld met de naam van het gebied.")] = None,
    code_veld: Annotated[str | None, typer.Option("--code-veld", help="Veld met de code van het gebied.")] = None,
    laag: Annotated[str | None, typer.Option("--laag", help="Laag van een GeoPackage (standaard: naar --soort).")]
    = None,
    store: StoreOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Lees gebieden uit een bestand en sla ze op als Area-knopen met hun hiërarchie."""
    if soort not in KINDS:
        raise fail(f"onbekende soort {soort!r}; kies uit {', '.join(KINDS)}")
    try:
        areas = load_area_file(file, soort, naam_veld=naam_veld, code_veld=code_veld, laag=laag)
    except AreaFileError as exc:
        raise fail(str(exc)) from exc
    with store_from(store, create=True) as st:
        counts = import_areas(st, areas)
    result = {"bestand": str(file), "soort": soort, "precisie": areas.precision, **counts,
              "voorbeelden": [buurt_label(c, n) for c, n in list(areas.names().items())[:5]]}
    if fmt is Format.json:
        print_json(result)
        return
    console.print(f"{counts['gebieden']} gebieden ({soort}) uit {file} opgeslagen; "
                  f"{counts['bovenliggend_toegevoegd']} bovenliggende gebieden toegevoegd, "
                  f"{counts['relaties_in']} IN-relaties.")


def list_cmd(
    soort: Annotated[str | None, typer.Option("--soort", help="Alleen deze soort (buurt, wijk, gemeente, eigen).")]
    = None,
    store: StoreOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Toon de gebieden in de opslag (zonder eigen gebieden: de ingebouwde CBS-kaart geldt)."""
    if soort is not None and soort not in KINDS:
        raise fail(f"onbekende soort {soort!r}; kies uit {', '.join(KINDS)}")
    with store_from(store) as st:
        areas = areas_for_store(st, (soort,) if soort else KINDS, fallback=False)
    rows = [{
        "area_code": r["area_code"], "name": r["name"], "label": buurt_label(r["area_code"], r["name"]),
        "kind": r["kind"], "parent_code": r["parent_code"], "gemeente_code": r["gemeente_code"],
        "lat": r["lat"], "lon": r["lon"], "precision": r["precision"], "source": r["source"],
        "has_geometry": g is not None,
    } for r, g in zip(areas.frame.to_dict("records"), areas.geometries, strict=True)]
    rows = [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()} for r in rows]
    rows.sort(key=lambda r: (KINDS.index(r["kind"]) if r["kind"] in KINDS else 9, r["area_code"]))
    if fmt is Format.json:
        print_json(rows)
        return
    if not rows:
        console.print("Geen gebieden in de opslag; analyses gebruiken de ingebouwde CBS-kaart (2014, grof).")
        return
    table = Table(title=f"Gebieden ({len(rows)})")
    for col in ("Code", "Naam", "Soort", "Ligt in", "Precisie", "Bron"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["area_code"], r["name"], r["kind"], r["parent_code"] or "", r["precision"], r["source"] or "")
    console.print(table)


gebieden_app.command("import")(import_cmd)
gebieden_app.command("list")(list_cmd)


def register(app: typer.Typer) -> None:
    app.add_typer(gebieden_app, name="gebieden")
