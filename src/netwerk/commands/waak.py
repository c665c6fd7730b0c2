"""`netwerk waak`: watched addresses and areas, and the alerts their new signals raise."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from netwerk.commands.common import Format, FormatOpt, StoreOpt, console, print_json, store_from

__all__ = ["register"]

app = typer.Typer(help="Waakadressen en -gebieden: nieuwe meldingen in de buurt direct bij het team.",
                  no_args_is_help=True)


def _records(df: pd.DataFrame) -> list[dict[str, object]]:
    return [{k: (None if v is None or (not isinstance(v, str) and pd.isna(v)) else v) for k, v in r.items()}
            for r in df.to_dict("records")]


@app.command("add")
def add(
    plaats: Annotated[str, typer.Argument(help="Adres-id, 'Straat 12, Plaats', '1234 AB 12' of een buurt-/wijkcode.")],
    reden: Annotated[str, typer.Option("--reden", help="Waarom deze plek gevolgd wordt (bijv. plaatsing "
                                                       "vergunninghouder).")],
    straal: Annotated[float, typer.Option("--straal", help="Straal in meter rond een adres.")] = 100.0,
    van: Annotated[str | None, typer.Option("--van", help="Begin (JJJJ-MM-DD); standaard de laatste datum in de "
                                                          "data.")] = None,
    tot: Annotated[str | None, typer.Option("--tot", help="Einde (JJJJ-MM-DD, inclusief); standaard open.")] = None,
    store: StoreOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Volg een adres (met straal) of gebied: elke nieuwe melding daar geeft één waakmelding."""
    from netwerk.audit import current_context
    from netwerk.frames import Frames
    from netwerk.monitor.watch import resolve_place, save_watch, sync_alerts, watch_record

    with store_from(store) as st:
        frames = Frames.from_store(st)
        place = resolve_place(frames, plaats)
        node = watch_record(frames, place, reason=reden, radius_m=straal, start=van, end=tot,
                            created_by=current_context()["user"])
        save_watch(st, node)
        counts = sync_alerts(st, frames)
    if fmt is Format.json:
        print_json({**node, "label": place.label, "alerts": counts})
        return
    where = place.label + (f" (straal {straal:g} m)" if place.kind == "adres" else "")
    console.print(f"Waakadres [bold]{node['watch_id']}[/] vastgelegd: {where}, vanaf {node['start_date']}"
                  + (f" tot en met {node['end_date']}" if node["end_date"] else "") + ".")
    console.print(f"Waakmeldingen: {counts['nieuw']} nieuw.")


@app.command("list")
def list_(
    alle: Annotated[bool, typer.Option("--alle", help="Ook beëindigde waakadressen.")] = False,
    store: StoreOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Toon de waakadressen en -gebieden."""
    with store_from(store) as st:
        df = st.nodes_df("Watch")
        alerts = st.nodes_df("Alert")
    if not alle:
        df = df[df["status"] != "beëindigd"]
    df = df.assign(n_alerts=df["watch_id"].map(alerts.groupby("watch_id").size()).fillna(0).astype(int))
    rows = _records(df)
    if fmt is Format.json:
        print_json(rows)
        return
    table = Table(title=f"Waakadressen en -gebieden ({len(rows)})")
    for col in ("Id", "Soort", "Plaats", "Straal", "Van", "Tot", "Reden", "Waakmeldingen"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["watch_id"]), str(r["kind"]), str(r["address_id"] or r["area_code"]),
                      "" if r["radius_m"] is None else f"{r['radius_m']:g} m", str(r["start_date"]),
                      str(r["end_date"] or "open"), str(r["reason"]), str(r["n_alerts"]))
    console.print(table)


@app.command("end")
def end(
    watch_id: Annotated[str, typer.Argument(help="Id van het waakadres (zie `netwerk waak list`).")],
    datum: Annotated[str | None, typer.Option("--datum", help="Laatste dag (JJJJ-MM-DD); standaard vandaag.")] = None,
    store: StoreOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Beëindig een waakadres: daarna geen nieuwe waakmeldingen meer."""
    from netwerk.monitor.watch import end_watch

    with store_from(store) as st:
        node = end_watch(st, watch_id, datum)
    if fmt is Format.json:
        print_json(node)
        return
    console.print(f"Waakadres {watch_id} beëindigd per {node['end_date']}.")


@app.command("alerts")
def alerts(
    watch_id: Annotated[str | None, typer.Option("--waak", help="Alleen van dit waakadres.")] = None,
    sync: Annotated[bool, typer.Option("--sync/--no-sync", help="Eerst nieuwe meldingen verwerken.")] = True,
    store: StoreOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Toon de waakmeldingen, elk met de melding (signal_id) die haar veroorzaakte."""
    from netwerk.audit import current_actor
    from netwerk.frames import Frames
    from netwerk.monitor.watch import list_alerts, sync_alerts

    with store_from(store) as st:
        frames = Frames.from_store(st)
        counts = sync_alerts(st, frames) if sync else {"nieuw": 0, "al_bekend": 0}
        df = list_alerts(st, frames, watch_id)
    actor = current_actor()
    hidden = 0
    if actor is not None:  # only the domains the actor's role and purpose open
        seen = df["domain"].isin(sorted(actor.domains))
        hidden, df = int((~seen).sum()), df[seen]
    rows = _records(df)
    if fmt is Format.json:
        print_json(rows)
        return
    if hidden:
        console.print(f"{hidden} waakmeldingen vallen buiten de domeinen van uw rol en doel en worden niet getoond.")
    table = Table(title=f"Waakmeldingen ({len(rows)}; {counts['nieuw']} nieuw)")
    for col in ("Waakmelding", "Waakadres", "Melding", "Gemeld", "Categorie", "Afstand", "Beoordeling"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["alert_id"]), str(r["watch_id"]), str(r["signal_id"]), str(r["reported_at"])[:16],
                      str(r["subcategory"] or r["category"] or ""),
                      "" if r["distance_m"] is None else f"{r['distance_m']:.0f} m", str(r["review_status"] or ""))
    console.print(table)
    console.print("Een waakmelding is een aanleiding om te kijken, geen oordeel. Status wijzigen: "
                  "`netwerk review set alert:<waakmelding> --status …`.")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="waak")
