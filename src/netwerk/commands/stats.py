"""`netwerk stats`: node and relationship counts of the store."""

from __future__ import annotations

import typer
from rich.table import Table

from netwerk.commands.common import Format, FormatOpt, StoreOpt, console, print_json, store_from


def stats(store: StoreOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Toon het aantal knopen per label en relaties per type."""
    with store_from(store) as st:
        counts = st.counts()
    if fmt is Format.json:
        print_json(counts)
        return
    for section, title in (("nodes", "Knopen"), ("relationships", "Relaties")):
        table = Table(title=title)
        table.add_column("Soort")
        table.add_column("Aantal", justify="right")
        for name, n in counts[section].items():
            table.add_row(name, f"{n:,}".replace(",", "."))
        console.print(table)


def register(app: typer.Typer) -> None:
    app.command("stats")(stats)
