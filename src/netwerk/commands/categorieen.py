"""`netwerk categorieen`: the categories of an export or the store, with counts, domain and how each matched."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from netwerk.commands.common import StoreOpt, console, fail, print_json, store_from
from netwerk.commands.ingest import CategoriesOpt
from netwerk.ingest.categories import load_categories
from netwerk.ingest.category_report import category_table, export_categories, starter_mapping
from netwerk.ingest.safe_csv import neutralise, to_csv

_MATCH_TEXT = {
    "exact": "exact", "genormaliseerd": "genormaliseerd", "hoofdcategorie": "via hoofdcategorie",
    "onbekend": "[red]onbekend[/]",
}


class CatFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def categorieen(
    folder: Annotated[Path | None, typer.Argument(help="Map met een export (importformaat v1 of Signalen); zonder map: de opslag.")] = None,  # noqa: E501
    store: StoreOpt = None,
    categories: CategoriesOpt = None,
    fmt: Annotated[CatFormat, typer.Option("--format", help="Uitvoer: table, json of csv.")] = CatFormat.table,
    schrijf: Annotated[Path | None, typer.Option("--schrijf", help="Schrijf een begin-categorietabel (CSV) om aan te passen en mee te geven met --categories.")] = None,  # noqa: E501
) -> None:
    """Toon de categorieën met aantallen, domein en hoe ze gekoppeld zijn; stel een domein voor bij onbekende."""
    try:
        cmap = load_categories(categories)
        if folder is not None:
            pairs = export_categories(folder)
        else:
            with store_from(store) as st:
                pairs = st.nodes_df("Signal")[["category", "subcategory"]]
    except (ValueError, FileNotFoundError) as exc:
        raise fail(str(exc)) from exc
    table = category_table(pairs["category"], pairs["subcategory"], cmap)
    if schrijf is not None:
        to_csv(starter_mapping(table), schrijf)
    if fmt is CatFormat.json:
        print_json({"categories": table.astype(object).where(table.notna(), None).to_dict("records"),
                    "signals": int(table["count"].sum()), "mapping_file": str(schrijf) if schrijf else None})
        return
    if fmt is CatFormat.csv:
        typer.echo(neutralise(table).to_csv(index=False), nl=False)
        return
    _print_table(table)
    if schrijf is not None:
        console.print(f"Begin-categorietabel geschreven naar {schrijf}: pas de domeinen aan en lees in met "
                      f"`netwerk ingest MAP --categories {schrijf}`.")


def _print_table(table: pd.DataFrame) -> None:
    t = Table(title=f"Categorieën ({int(table['count'].sum())} meldingen)")
    for col in ("Hoofdcategorie", "Subcategorie", "Aantal", "Domein", "Koppeling", "Voorstel (dichtstbijzijnde naam)"):
        t.add_column(col, justify="right" if col == "Aantal" else "left")
    for r in table.itertuples():
        hint = f"{r.suggested_domain} ({r.suggested_name})" if isinstance(r.suggested_name, str) else ""
        t.add_row(str(r.category), str(r.subcategory), f"{r.count:,}".replace(",", "."), str(r.domain),
                  _MATCH_TEXT.get(str(r.match), str(r.match)), hint)
    console.print(t)
    unknown = table[table["match"] == "onbekend"]
    if len(unknown):
        console.print(f"[yellow]Let op:[/] {int(unknown['count'].sum())} melding(en) in {len(unknown)} onbekende "
                      "categorie(ën) krijgen domein 'onbekend' (ze worden wel geanalyseerd); "
                      "schrijf een begintabel met --schrijf FILE.")


def register(app: typer.Typer) -> None:
    app.command("categorieen")(categorieen)
