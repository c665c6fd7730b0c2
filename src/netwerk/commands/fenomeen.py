"""`netwerk fenomeen`: record an accepted fenomeen advice and follow its signal counts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from netwerk.commands.common import (
    Format,
    FormatOpt,
    SinceOpt,
    StoreOpt,
    UntilOpt,
    acting_actor,
    console,
    print_json,
    store_from,
    valid_date,
)

app = typer.Typer(help="Fenomeenaanpak: vastleggen en volgen.", no_args_is_help=True)


@app.command("create")
def create(
    key: Annotated[str, typer.Argument(help="Sleutel van de hotspot (buurtcode, clustersleutel of adres-id).")],
    category: Annotated[str, typer.Option("--category", help="Hoofdcategorie van de hotspot.")],
    by: Annotated[str, typer.Option("--by", help="Wie besloot (bijv. 'team integrale veiligheid').")],
    level: Annotated[str | None, typer.Option("--level", help="address, cluster of buurt.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Naam van het fenomeen.")] = None,
    on: Annotated[str | None, typer.Option("--date", callback=valid_date,
                                           help="Besluitdatum (JJJJ-MM-DD); standaard vandaag, of het einde van "
                                                "de periode (--until, anders de data) als de data historisch is.")
           ] = None,
    domain: Annotated[str | None, typer.Option("--domain")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    config: Annotated[Path | None, typer.Option("--config", help="YAML/TOML met hotspot-instellingen.")] = None,
    store: StoreOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Leg een fenomeenaanpak vast voor een hotspot (Fenomeen -COVERS-> buurt en meldingen)."""
    from netwerk.hotspots import load_config
    from netwerk.services.fenomeen import create_fenomeen

    with store_from(store) as st:
        rec = create_fenomeen(st, acting_actor(), key, category, by=by, level=level, name=name, date=on,
                              domain=domain, since=since, until=until, config=load_config(config),
                              endpoint="cli:fenomeen create")
    if fmt is Format.json:
        print_json(rec)
        return
    console.print(f"Fenomeen [bold]{rec['fenomeen_id']}[/] vastgelegd: {rec['name']}, "
                  f"{len(rec['signals'])} meldingen, gebied {', '.join(rec['areas'])}.")
    if not rec["fenomeen_advice"]:
        console.print("Let op: deze hotspot had geen fenomeenadvies; het besluit ligt bij het team.")


@app.command("follow")
def follow(
    fenomeen_id: Annotated[str, typer.Argument(help="Id van het fenomeen (zie `netwerk fenomeen list`).")],
    months_before: Annotated[int, typer.Option("--months-before", help="Maanden vóór de start.")] = 6,
    png: Annotated[Path | None, typer.Option("--png", help="Schrijf een grafiek voor/na (PNG).")] = None,
    store: StoreOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Werkt de aanpak? Meldingen per maand in het gebied, vóór en na de start van het fenomeen."""
    from netwerk.services.fenomeen import follow as follow_service

    with store_from(store) as st:
        node, result = follow_service(st, acting_actor(), fenomeen_id, months_before=months_before,
                                      endpoint="cli:fenomeen follow")
        n_cov = result.n_covered
        if png:
            from netwerk.hotspots.charts import follow_chart

            follow_chart(result, png)
    if fmt is Format.json:
        print_json(result.to_dict())
        return
    table = Table(title=f"Fenomeen {fenomeen_id}: {node.get('name')} (gestart {node.get('created_at')})")
    table.add_column("maand")
    table.add_column("meldingen", justify="right")
    table.add_column("fase")
    for m, n, p in result.monthly[["month", "n_signals", "phase"]].itertuples(index=False):
        table.add_row(m.strftime("%Y-%m"), str(n), p)
    console.print(table)
    console.print(f"{result.verdict} ({n_cov} meldingen gekoppeld).")
    if png:
        console.print(f"geschreven: {png}")


@app.command("list")
def list_(store: StoreOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Toon de vastgelegde fenomenen."""
    from netwerk.services.fenomeen import fenomeen_list

    with store_from(store) as st:
        rows = fenomeen_list(st, acting_actor(), endpoint="cli:fenomeen list")
    if fmt is Format.json:
        print_json(rows)
        return
    table = Table(title=f"Fenomenen ({len(rows)})")
    for col in ("fenomeen_id", "name", "category", "created_at", "created_by"):
        table.add_column(col)
    for r in rows:
        table.add_row(*(str(r.get(c) or "") for c in ("fenomeen_id", "name", "category", "created_at", "created_by")))
    console.print(table)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="fenomeen")
