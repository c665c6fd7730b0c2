"""`netwerk maatregel`: a register of measures and their effect on the signal counts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from netwerk.commands.common import Format, FormatOpt, StoreOpt, console, print_json, store_from
from netwerk.store import GraphStore

__all__ = ["register"]

app = typer.Typer(help="Maatregelen (camera, toezicht, buurtbemiddeling, …) en hun effect op de meldingen.",
                  no_args_is_help=True)


@app.command("add")
def add(
    soort: Annotated[str, typer.Option("--soort", help="camera, toezicht, buurtbemiddeling, fenomeenaanpak, "
                                                       "verlichting, handhaving, jongerenwerk, gebiedsverbod, "
                                                       "sluiting of overig.")],
    van: Annotated[str, typer.Option("--van", help="Startdatum (JJJJ-MM-DD).")],
    gebied: Annotated[str | None, typer.Option("--gebied", help="Buurt- of wijkcode.")] = None,
    adres: Annotated[str | None, typer.Option("--adres", help="Adres-id, 'Straat 12, Plaats' of '1234 AB 12'.")]
    = None,
    tot: Annotated[str | None, typer.Option("--tot", help="Einddatum (JJJJ-MM-DD), inclusief.")] = None,
    straal: Annotated[float, typer.Option("--straal", help="Straal in meter rond een adres.")] = 100.0,
    thema: Annotated[str | None, typer.Option("--thema", help="Alleen meldingen van dit thema (themetabel).")] = None,
    categorie: Annotated[str | None, typer.Option("--categorie", help="Alleen meldingen van deze (sub)categorie.")]
    = None,
    omschrijving: Annotated[str, typer.Option("--omschrijving", help="Wat de maatregel inhoudt.")] = "",
    store: StoreOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Leg een maatregel vast in een gebied of bij een adres."""
    from netwerk.audit import current_context
    from netwerk.frames import Frames
    from netwerk.monitor.measures import measure_record, save_measure
    from netwerk.monitor.watch import resolve_place

    with store_from(store) as st:
        if (gebied is None) == (adres is None):
            raise ValueError("geef precies één van --gebied of --adres op")
        frames = Frames.from_store(st)
        place = resolve_place(frames, gebied or adres or "")
        if gebied and place.kind != "gebied":
            raise ValueError(f"{gebied!r} is geen bekende buurt- of wijkcode")
        if adres and place.kind != "adres":
            raise ValueError(f"{adres!r} is een gebied: gebruik --gebied")
        node = measure_record(frames, place, kind=soort, start=van, end=tot, radius_m=straal, theme=thema,
                              category=categorie, description=omschrijving, created_by=current_context()["user"])
        save_measure(st, node)
    if fmt is Format.json:
        print_json({**node, "label": place.label})
        return
    console.print(f"Maatregel [bold]{node['measure_id']}[/] vastgelegd: {soort} in {place.label} vanaf {van}.")


@app.command("list")
def list_(store: StoreOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Toon de vastgelegde maatregelen."""
    with store_from(store) as st:
        df = pd.concat([st.nodes_df("Measure"), _fenomenen(st)], ignore_index=True)
    rows = [{k: (None if v is None or v != v else v) for k, v in r.items()} for r in df.to_dict("records")]
    if fmt is Format.json:
        print_json(rows)
        return
    table = Table(title=f"Maatregelen ({len(rows)})")
    for col in ("Id", "Soort", "Plaats", "Van", "Tot", "Thema/categorie"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["measure_id"], r["kind"], str(r["area_code"] or r["address_id"]), str(r["start_date"]),
                      str(r["end_date"] or "open"), str(r["theme"] or r["category"] or "alle meldingen"))
    console.print(table)


@app.command("effect")
def effect(
    measure_id: Annotated[str, typer.Argument(help="Id van de maatregel (zie `netwerk maatregel list`).")],
    figuur: Annotated[Path | None, typer.Option("--figuur", help="Schrijf een voor/na-grafiek (PNG).")] = None,
    themas: Annotated[Path | None, typer.Option("--themas", help="Eigen themetabel (CSV).")] = None,
    store: StoreOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Heeft de maatregel effect? Meldingen vóór en na de start, vergeleken met gebieden zonder maatregel."""
    from netwerk.frames import Frames
    from netwerk.monitor.measures import measure_chart, measure_effect
    from netwerk.monitor.themes import load_themes

    with store_from(store) as st:
        node = st.get_node("Measure", measure_id)
        others = pd.concat([st.nodes_df("Measure"), _fenomenen(st)], ignore_index=True)
        if node is None:
            match = others[others["measure_id"] == measure_id]
            if match.empty:
                raise ValueError(f"maatregel {measure_id!r} bestaat niet; zie `netwerk maatregel list`")
            node = match.iloc[0].to_dict()
        frames = Frames.from_store(st)
        result = measure_effect(frames, node, themes=load_themes(themas) if node.get("theme") else (),
                                other_measures=others)
        if figuur:
            measure_chart(result, figuur, f"{node['kind']} – {node.get('area_code') or node.get('address_id')}")
    if fmt is Format.json:
        print_json(result.to_dict())
        return
    table = Table(title=f"Maatregel {measure_id}: {node['kind']} vanaf {node['start_date']}")
    for col in ("", "vóór", "na"):
        table.add_column(col, justify="right")
    table.add_row(f"gebied van de maatregel ({result.before[0]} – {result.after[1]})", str(result.treated_before),
                  str(result.treated_after))
    table.add_row(f"vergelijkingsgebieden ({len(result.comparison_areas)})", str(result.comparison_before),
                  str(result.comparison_after))
    console.print(table)
    console.print(result.verdict + ".")
    console.print("Een verandering in de cijfers is een signaal, geen bewijs dat de maatregel werkt.")
    if figuur:
        console.print(f"geschreven: {figuur}")


def _fenomenen(st: GraphStore) -> pd.DataFrame:
    """Recorded fenomeenaanpakken as measures (kind ``fenomeenaanpak``)."""
    from netwerk.fenomeen import load_fenomeen
    from netwerk.monitor.measures import measure_from_fenomeen

    rows = []
    for fid in st.nodes_df("Fenomeen")["fenomeen_id"]:
        node, areas, _ = load_fenomeen(st, fid)
        if areas:
            rows.append(measure_from_fenomeen(node, areas))
    return pd.DataFrame(rows, columns=list(st.model.node("Measure").properties))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="maatregel")
