"""`netwerk controle`: record and list integrale controles on businesses and addresses."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from netwerk.commands.common import Format, FormatOpt, StoreOpt, console, print_json, store_from

__all__ = ["register"]

app = typer.Typer(help="Integrale controles (gemeente, politie, Belastingdienst, …) bij ondernemingen en adressen.",
                  no_args_is_help=True)


@app.command("add")
def add(
    datum: Annotated[str, typer.Option("--datum", help="Datum van de controle (JJJJ-MM-DD).")],
    partners: Annotated[str, typer.Option("--partners", help="Wie controleerden, met komma's ('gemeente,politie').")],
    bevindingen: Annotated[str, typer.Option("--bevindingen", help="Wat werd aangetroffen.")] = "",
    bedrijf: Annotated[str | None, typer.Option("--bedrijf", help="Id of exacte handelsnaam van de onderneming.")]
    = None,
    adres: Annotated[str | None, typer.Option("--adres", help="Adres-id, 'Straat 12, Plaats' of '1234 AB 12'.")]
    = None,
    uitkomst: Annotated[str | None, typer.Option("--uitkomst", help="geen bijzonderheden, bevindingen, overtreding, "
                                                                    "bestuurlijke maatregel of doorverwezen.")]
    = None,
    store: StoreOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Leg een integrale controle vast als gebeurtenis bij een onderneming of adres."""
    from netwerk.audit import current_context
    from netwerk.frames import Frames
    from netwerk.monitor.controles import controle_record, resolve_business, save_controle
    from netwerk.monitor.watch import resolve_place

    with store_from(store) as st:
        if (bedrijf is None) == (adres is None):
            raise ValueError("geef precies één van --bedrijf of --adres op")
        frames = Frames.from_store(st)
        if bedrijf:
            subject_type, subject_id = "business", resolve_business(frames, bedrijf)
        else:
            place = resolve_place(frames, adres or "")
            if place.kind != "adres":
                raise ValueError(f"{adres!r} is een gebied; een controle betreft een adres of onderneming")
            subject_type, subject_id = "address", place.key
        node = controle_record(subject_type=subject_type, subject_id=subject_id, date=datum,
                               partners=partners.split(","), findings=bevindingen, outcome=uitkomst,
                               created_by=current_context()["user"])
        save_controle(st, node)
    if fmt is Format.json:
        print_json(node)
        return
    console.print(f"Controle [bold]{node['controle_id']}[/] vastgelegd ({node['outcome']}).")


@app.command("list")
def list_(store: StoreOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Toon de vastgelegde controles (nieuwste eerst)."""
    from netwerk.frames import Frames
    from netwerk.monitor.controles import controle_frame

    with store_from(store) as st:
        df = controle_frame(st.nodes_df("Controle"), Frames.from_store(st))
    df = df.sort_values(["date", "controle_id"], ascending=[False, True])
    rows = [{**r, "date": r["date"].date().isoformat()} for r in df.to_dict("records")]
    if fmt is Format.json:
        print_json(rows)
        return
    table = Table(title=f"Integrale controles ({len(rows)})")
    for col in ("Id", "Datum", "Onderwerp", "Partners", "Uitkomst", "Bevindingen"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["controle_id"], r["date"], f"{r['subject_type']} {r['subject_id']}", str(r["partners"]),
                      str(r["outcome"]), str(r["findings"] or ""))
    console.print(table)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="controle")
