"""`netwerk groups`: youth groups for the risicojongeren overleg (detect, compare, roles, risks)."""

from __future__ import annotations

from enum import StrEnum
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
    console,
    print_json,
    store_from,
    user_errors,
)


class Export(StrEnum):
    graphml = "graphml"
    gexf = "gexf"


_STATUS = {
    "active": "geregistreerd",
    "emerging": "nieuw",
    "fallen_apart": "uiteengevallen",
    "small_component": "klein",
    "loose": "los",
}


def groups(
    store: StoreOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    min_age: Annotated[int, typer.Option("--min-age", help="Jongste leeftijd op de meldingsdatum.")] = 12,
    max_age: Annotated[int, typer.Option("--max-age", help="Oudste leeftijd op de meldingsdatum.")] = 24,
    resolution: Annotated[
        float, typer.Option("--resolution", help="Resolutie van de groepsdetectie (hoger: kleinere groepen).")
    ] = 1.0,
    half_life: Annotated[
        float, typer.Option("--half-life", help="Halveringstijd (dagen) van het gewicht van een melding.")
    ] = 180.0,
    no_group_edges: Annotated[
        bool, typer.Option("--no-group-edges", help="Geregistreerde groepen niet als verbinding meetellen.")
    ] = False,
    no_address_edges: Annotated[
        bool, typer.Option("--no-address-edges", help="Gedeeld inschrijfadres niet als verbinding meetellen.")
    ] = False,
    seed: Annotated[int, typer.Option("--seed", help="Vaste startwaarde (zelfde invoer, zelfde groepen).")] = 42,
    html: Annotated[
        Path | None, typer.Option("--html", help="Map voor interactieve HTML (heel netwerk + per groep).")
    ] = None,
    export: Annotated[
        Export | None, typer.Option("--export", help="Exporteer het netwerk voor Gephi (graphml of gexf).")
    ] = None,
    export_path: Annotated[
        Path | None, typer.Option("--export-path", help="Bestand voor --export (standaard jongerennetwerk.<formaat>).")
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Jeugdgroepen: gevonden groepen, vergelijking met geregistreerde groepen, sleutelfiguren en risico's.

    Uitkomsten zijn signalen voor professionals in het risicojongeren overleg, geen oordeel.
    """
    from netwerk.frames import Frames
    from netwerk.youth.analysis import run_analysis
    from netwerk.youth.visual import export_graph, write_group_html, write_html

    edge_types = ("signal",) + (() if no_group_edges else ("group",)) + (() if no_address_edges else ("address",))
    with store_from(store) as st:
        frames = Frames.from_store(st)
    with user_errors():
        res = run_analysis(
            frames, since=since, until=until, min_age=min_age, max_age=max_age, half_life_days=half_life,
            edge_types=edge_types, resolution=resolution, seed=seed,
        )
        if html is not None:
            write_html(res.graph, res.detection, html / "jongerennetwerk.html", cent=res.centrality, seed=seed)
            write_group_html(res.graph, res.detection, html, cent=res.centrality, seed=seed)
        if export is not None:
            target = export_path or Path(f"jongerennetwerk.{export.value}")
            export_graph(res.graph, target, export.value, res.detection)
    if fmt is Format.json:
        print_json(res.groups)
        return
    g = res.graph
    console.print(
        f"Jongerennetwerk {g.graph['start']:%Y-%m-%d} t/m {g.graph['end']:%Y-%m-%d}: "
        f"{g.number_of_nodes()} jongeren, {g.number_of_edges()} verbindingen, modulariteit "
        f"{res.detection.modularity:.3f}"
    )
    table = Table(title="Jeugdgroepen (hint voor professionals, geen oordeel)")
    for col in ("Groep", "Status", "Leden", "Geregistreerd", "Overlap", "Hint", "Toevoegen", "Sleutelfiguren",
                "Volwassenen"):
        table.add_column(col)
    for grp in res.groups:
        keys = ", ".join(f"{k['person_id'][:10]} ({k['role']})" for k in grp["key_persons"][:2])
        table.add_row(
            grp["group_id"], _STATUS.get(grp["status"], grp["status"]), str(grp["size"]),
            grp["registered_group"] or "-", f"{grp['overlap']:.2f}", grp["classification_hint"] or "-",
            str(len(grp["suggested_additions"])), keys or "-", str(len(grp["adult_links"])),
        )
    console.print(table)
    for grp in res.groups:
        if grp["status"] in ("active", "emerging", "fallen_apart"):
            console.print(f"[bold]{grp['group_id']}[/]: {grp['status_text']}")
            for line in grp["evidence"]:
                console.print(f"  - {line}")


def register(app: typer.Typer) -> None:
    app.command("groups")(groups)
