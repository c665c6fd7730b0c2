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
    "gathering": "groepering",
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
    min_ties: Annotated[
        int, typer.Option("--min-ties", min=1, help="Minimaal aantal gezamenlijke meldingen van een groepslid "
                          "(minder: randfiguur).")
    ] = 2,
    no_randfiguren: Annotated[
        bool, typer.Option("--no-randfiguren", help="Jongeren met te weinig gezamenlijke meldingen als los melden "
                           "in plaats van als randfiguur bij hun groep.")
    ] = False,
    hint_min_share: Annotated[
        float, typer.Option("--hint-min-share", min=0.0, max=1.0, help="Minimaal aandeel van de meldingen van een "
                            "groep waarop een classificatiehint rust.")
    ] = 0.2,
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
    from netwerk.youth.analysis import GROUP_TABLES, run_analysis
    from netwerk.youth.visual import export_graph, write_group_html, write_html

    edge_types = ("signal",) + (() if no_group_edges else ("group",)) + (() if no_address_edges else ("address",))
    with store_from(store) as st:
        frames = Frames.from_store(st, tables=GROUP_TABLES)
    with user_errors():
        res = run_analysis(
            frames, since=since, until=until, min_age=min_age, max_age=max_age, half_life_days=half_life,
            edge_types=edge_types, resolution=resolution, seed=seed, min_ties=min_ties,
            randfiguren=not no_randfiguren, hint_min_share=hint_min_share,
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
    net, c = res.network, res.counts
    console.print(
        f"Jongerennetwerk {net.start:%Y-%m-%d} t/m {net.end:%Y-%m-%d}: "
        f"{net.number_of_nodes()} jongeren, {net.number_of_edges()} verbindingen, modulariteit "
        f"{res.detection.modularity:.3f}"
    )
    console.print(
        f"Jeugdgroepen: {c['groepen']} ({c['groepsleden']} leden, {c['randfiguren']} randfiguren); "
        f"groeperingen (één keer samen): {c['groeperingen']} ({c['jongeren_in_groeperingen']} jongeren); "
        f"kleine componenten: {c['kleine_componenten']} ({c['jongeren_in_kleine_componenten']} jongeren); "
        f"losse jongeren: {c['losse_jongeren']}; "
        f"uiteengevallen geregistreerde groepen: {c['uiteengevallen_groepen']}"
    )
    table = Table(title="Jeugdgroepen (hint voor professionals, geen oordeel)")
    for col in ("Groep", "Status", "Leden", "Randfiguren", "Geregistreerd", "Overlap", "Hint", "Toevoegen",
                "Sleutelfiguren", "Volwassenen"):
        table.add_column(col)
    for grp in res.groups:
        keys = ", ".join(f"{k['person_id'][:10]} ({k['role']})" for k in grp["key_persons"][:2])
        table.add_row(
            grp["group_id"], _STATUS.get(grp["status"], grp["status"]), str(grp["size"]),
            str(grp.get("n_randfiguren", 0)), grp["registered_group"] or "-", f"{grp['overlap']:.2f}",
            grp["classification_hint"] or "-", str(len(grp["suggested_additions"])), keys or "-",
            str(len(grp["adult_links"])),
        )
    console.print(table)
    for grp in res.groups:
        if grp["status"] in ("active", "emerging", "fallen_apart"):
            console.print(f"[bold]{grp['group_id']}[/]: {grp['status_text']}")
            for line in grp["evidence"]:
                console.print(f"  - {line}")


def register(app: typer.Typer) -> None:
    app.command("groups")(groups)
