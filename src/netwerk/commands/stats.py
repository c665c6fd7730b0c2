"""`netwerk stats`: node and relationship counts of the store."""

from __future__ import annotations

import typer
from rich.table import Table

from netwerk.commands.common import Format, FormatOpt, StoreOpt, console, err_console, print_json, store_from
from netwerk.ingest.guards import import_runs


def stats(store: StoreOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Toon het aantal knopen per label en relaties per type."""
    with store_from(store) as st:
        counts = st.counts()
        runs = import_runs(st)
    last = runs[-1] if runs else None
    if last is not None and last.get("finished") is None:
        err_console.print(f"[red]Let op:[/] de laatste import (gestart {last.get('started')}, uit "
                          f"{last.get('folder')}) is niet afgerond; de opslag kan onvolledig zijn. "
                          "Lees de map opnieuw in (netwerk ingest is idempotent).")
    if fmt is Format.json:
        print_json({**counts, "last_import": last})
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
