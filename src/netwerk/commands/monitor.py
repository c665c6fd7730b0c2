"""`netwerk monitor`: signal counts per priority (theme), period and source group, with the change."""

from __future__ import annotations

import io
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from netwerk.commands.common import SinceOpt, StoreOpt, UntilOpt, console, print_json, store_from, user_errors
from netwerk.monitor.monitor import MonitorTable

__all__ = ["register"]


class MonitorFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class Per(StrEnum):
    jaar = "jaar"
    kwartaal = "kwartaal"


class Gebied(StrEnum):
    buurt = "buurt"
    wijk = "wijk"


def monitor(
    per: Annotated[Per, typer.Option("--per", help="Periode: jaar of kwartaal.")] = Per.jaar,
    gebied: Annotated[Gebied | None, typer.Option("--gebied", help="Uitsplitsen per buurt of wijk.")] = None,
    fmt: Annotated[MonitorFormat, typer.Option("--format", help="table, json, csv of xlsx.")] = MonitorFormat.table,
    uit: Annotated[Path | None, typer.Option("--uit", help="Schrijf naar dit bestand (verplicht bij xlsx).")] = None,
    figuren: Annotated[Path | None, typer.Option("--figuren", help="Map voor een grafiek (PNG) per thema.")] = None,
    themas: Annotated[Path | None, typer.Option("--themas", help="Eigen themetabel (CSV, zie docs/monitoring.md).")]
    = None,
    bronnen: Annotated[Path | None, typer.Option("--bronnen", help="Eigen tabel bron → brongroep (CSV).")] = None,
    min_count: Annotated[int, typer.Option("--min", help="Minimum aantal meldingen in de vorige periode om te "
                                                         "vergelijken.")] = 10,
    since: SinceOpt = None,
    until: UntilOpt = None,
    store: StoreOpt = None,
) -> None:
    """Monitoring per prioriteit: meldingen per thema en periode, naar bron (politie, gemeente, partners),
    met het verschil met de vorige periode."""
    from netwerk.frames import Frames
    from netwerk.monitor.export import write_charts, write_csv, write_xlsx
    from netwerk.monitor.monitor import monitor_table
    from netwerk.monitor.themes import load_source_groups, load_themes

    with user_errors():
        if fmt is MonitorFormat.xlsx and uit is None:
            raise ValueError("--format xlsx schrijft een bestand: geef --uit BESTAND.xlsx op")
        themes, groups = load_themes(themas), load_source_groups(bronnen)
    with store_from(store) as st:
        frames = Frames.from_store(st)
        table = monitor_table(frames, themes, per.value, gebied.value if gebied else None, groups=groups,
                              since=since, until=until, min_count=min_count)
        written = write_charts(table, figuren) if figuren else []
        if fmt is MonitorFormat.xlsx and uit is not None:
            write_xlsx(table, uit)
            written.append(uit)
        elif fmt is MonitorFormat.csv and uit is not None:
            write_csv(table, uit)
            written.append(uit)
    if fmt is MonitorFormat.json:
        if uit is not None:
            import json

            with user_errors():
                uit.write_text(json.dumps(table.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
            written.append(uit)
        else:
            print_json(table.to_dict())
    elif fmt is MonitorFormat.csv and uit is None:
        from netwerk.monitor.export import safe_frame

        buf = io.StringIO()
        safe_frame(table.rows).to_csv(buf, index=False)
        typer.echo(buf.getvalue(), nl=False)
    elif fmt is MonitorFormat.table:
        _print_table(table)
    for path in written:
        console.print(f"geschreven: {path}")


def _print_table(table: MonitorTable) -> None:
    t = Table(title=f"Monitoring per prioriteit, per {table.per} (bron: {' / '.join(table.groups)})")
    t.add_column("Thema")
    if table.gebied:
        t.add_column(table.gebied.capitalize())
    for p in table.periods:
        t.add_column(p, justify="right")
    keys = ["theme", "area_code"]
    for (_theme, _area), g in table.rows.groupby(keys, sort=False, dropna=False):
        first = g.iloc[0]
        cells = [f"{first['theme_name']} (P{first['priority']})"]
        if table.gebied:
            cells.append(f"{first['area_name'] or ''} ({first['area_code']})".strip())
        for r in g.to_dict("records"):
            split = "/".join(str(r[x]) for x in table.groups)
            change = ""
            if not pd.isna(r["change_abs"]):
                rel = "" if pd.isna(r["change_rel"]) else f", {r['change_rel']:+.0%}"
                change = f"\n{int(r['change_abs']):+d}{rel}" + ("" if r["comparable"] else " *")
            cells.append(f"[bold]{r['total']}[/]\n{split}{change}")
        t.add_row(*cells)
    console.print(t)
    console.print("Per cel: totaal, dan per bron, dan het verschil met de vorige periode. "
                  f"* = niet te vergelijken (te weinig meldingen: minder dan {table.min_count} in de vorige "
                  "periode, of een onvolledige periode).")
    for reason, n in table.excluded.items():
        console.print(f"Niet meegeteld: {n} meldingen ({reason}).")


def register(app: typer.Typer) -> None:
    app.command("monitor")(monitor)
