"""`netwerk fenomeen`: record an accepted fenomeen advice and follow its signal counts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from netwerk.commands.common import (
    Format,
    FormatOpt,
    SinceOpt,
    StoreOpt,
    UntilOpt,
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
    from netwerk.fenomeen import fenomeen_record, save_fenomeen
    from netwerk.frames import Frames
    from netwerk.hotspots import find_hotspots, load_config

    with store_from(store) as st:
        frames = Frames.from_store(st)
        cfg = load_config(config)
        found = find_hotspots(frames, domain=domain, category=category, since=since, until=until, config=cfg)
        match = [h for h in found if h.key == key and h.category.lower() == category.lower()
                 and (level is None or h.level == level)]
        if not match:
            keys = ", ".join(sorted({h.key for h in found})[:15])
            raise ValueError(f"geen hotspot {key!r} in categorie {category!r} gevonden; wel: {keys or 'geen'}")
        hotspot = match[0]
        rec = fenomeen_record(hotspot, created_by=by, created_at=pd.Timestamp(on).date() if on else None, name=name,
                              reference_date=pd.Timestamp(until) if until else frames.reference_date)
        save_fenomeen(st, rec)
    if fmt is Format.json:
        print_json({**rec.node, "areas": rec.area_codes, "signals": rec.signal_ids,
                    "fenomeen_advice": hotspot.fenomeen_advice})
        return
    console.print(f"Fenomeen [bold]{rec.fenomeen_id}[/] vastgelegd: {rec.node['name']}, "
                  f"{len(rec.signal_ids)} meldingen, gebied {', '.join(rec.area_codes)}.")
    if not hotspot.fenomeen_advice:
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
    from netwerk.fenomeen import follow_fenomeen, load_fenomeen
    from netwerk.frames import Frames

    with store_from(store) as st:
        node, areas, covered = load_fenomeen(st, fenomeen_id)
        n_cov = len(covered)
        frames = Frames.from_store(st)
        result = follow_fenomeen(frames, node, areas, covered=n_cov, months_before=months_before)
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
    with store_from(store) as st:
        df = st.nodes_df("Fenomeen")
    rows = df.to_dict("records")
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
