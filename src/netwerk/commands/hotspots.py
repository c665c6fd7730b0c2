"""`netwerk hotspots`: recurring overlast hotspots (address, cluster, buurt) with fenomeen advice."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from netwerk.commands.common import (
    Format,
    FormatOpt,
    SinceOpt,
    StoreOpt,
    UntilOpt,
    console,
    err_console,
    print_json,
    store_from,
)
from netwerk.commands.common import user_errors as _user_errors

if TYPE_CHECKING:
    from netwerk.hotspots.nearrepeat import Knox


class Level(StrEnum):
    address = "address"
    cluster = "cluster"
    buurt = "buurt"


_LEVEL_NL = {"address": "adres", "cluster": "cluster", "buurt": "buurt"}
_TREND_NL = {"rising": "stijgend", "stable": "stabiel", "falling": "dalend"}


def hotspots(
    store: StoreOpt = None,
    fmt: FormatOpt = Format.table,
    domain: Annotated[str | None, typer.Option(
        "--domain", "--domein", help="Alleen dit domein (jeugd, woon, zorg, openbare_orde, ondermijning, onbekend; "
                                     "'overig' wordt standaard weggelaten).")] = None,
    category: Annotated[
        str | None, typer.Option("--category", "--categorie",
                                 help="Alleen deze hoofd- of subcategorie (ook als die in 'overig' valt).")
    ] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    level: Annotated[list[Level] | None, typer.Option("--level", help="Alleen dit niveau (herhaalbaar).")] = None,
    top: Annotated[int | None, typer.Option("--top", help="Alleen de N hoogst scorende hotspots.")] = None,
    advice_only: Annotated[bool, typer.Option("--advice-only", help="Alleen hotspots met fenomeenadvies.")] = False,
    config: Annotated[
        Path | None, typer.Option("--config", help="YAML/TOML-bestand met afwijkende instellingen.")
    ] = None,
    map_html: Annotated[
        Path | None, typer.Option("--map", help="Schrijf een interactieve HTML-kaart (offline).")
    ] = None,
    map_png: Annotated[Path | None, typer.Option("--png", help="Schrijf een statische kaart (PNG).")] = None,
    charts: Annotated[
        Path | None, typer.Option("--charts", help="Map voor een tijdreeksgrafiek (PNG) per hotspot.")
    ] = None,
    near_repeat: Annotated[
        bool, typer.Option("--near-repeat", help="Toon de near-repeat-toets (Knox) per domein in plaats van hotspots.")
    ] = False,
) -> None:
    """Terugkerende overlast: hotspots per adres, locatiecluster en buurt, met fenomeenadvies."""
    from netwerk.frames import Frames
    from netwerk.hotspots import HOTSPOT_COLUMNS, HOTSPOT_TABLES, find_hotspots, load_config
    from netwerk.hotspots import near_repeat as knox_per_domain
    from netwerk.hotspots.selection import describe_selection, why_none

    with _user_errors():
        cfg = load_config(config)
        if top is not None and top < 1:
            raise ValueError("--top moet minstens 1 zijn")
    with store_from(store) as st:  # hotspots read signals, addresses and areas only (aggregate, no persons)
        frames = Frames.from_store(st, tables=HOTSPOT_TABLES, columns=HOTSPOT_COLUMNS)
    with _user_errors():
        if near_repeat:
            knox = knox_per_domain(frames, domain=domain, category=category, since=since, until=until, config=cfg)
            _print_knox(knox, fmt)
            return
        levels = [lv.value for lv in level] if level else ["address", "cluster", "buurt"]
        found = find_hotspots(frames, domain=domain, category=category, since=since, until=until, config=cfg,
                              levels=levels)
        selection = describe_selection(frames, domain=domain, category=category, since=since, until=until,
                                       config=cfg)
        n_found = len(found)
        if advice_only:
            found = [h for h in found if h.fenomeen_advice]
        if top is not None:
            found = found[:top]
        written = []
        if map_html:
            from netwerk.hotspots.maps import hotspot_map_html

            written.append(hotspot_map_html(found, map_html))
        if map_png:
            from netwerk.hotspots.maps import hotspot_map_png

            written.append(hotspot_map_png(found, map_png))
        if charts:
            from netwerk.hotspots.charts import hotspot_chart

            for i, h in enumerate(found, 1):
                name = f"{i:03d}-{h.level}-{''.join(c if c.isalnum() else '-' for c in h.key)[:60]}.png"
                written.append(hotspot_chart(h, frames, charts / name))
    notes = selection.excluded_lines()
    if not found:
        notes.append(why_none(selection, cfg) if not n_found else
                     f"Geen van de {n_found} gevonden hotspots krijgt fenomeenadvies (zonder --advice-only zie je ze "
                     "allemaal, met de reden per regel).")
    if fmt is Format.json:
        print_json([h.to_dict() for h in found])
        for line in notes:  # stdout stays pure JSON
            err_console.print(line)
        return
    table = Table(title=f"Hotspots ({len(found)}) — {selection.n_selected} meldingen van "
                        f"{selection.start:%d-%m-%Y} t/m {selection.end:%d-%m-%Y}")
    for col in ("niveau", "sleutel", "domein", "categorie", "meldingen", "bronnen", "trend", "score", "p",
                "fenomeen"):
        table.add_column(col, justify="right" if col in ("meldingen", "bronnen", "score", "p") else "left")
    for h in found:
        table.add_row(_LEVEL_NL[h.level], h.key, h.domain, h.category, str(h.n_signals), str(h.n_sources),
                      _TREND_NL[h.trend],
                      f"{h.score:.1f}", f"{h.significance:.2g}", "advies" if h.fenomeen_advice else "")
    console.print(table)
    for h in found:
        if h.fenomeen_advice:
            console.print(f"[bold]{h.key}[/] ({h.category}): {h.reason}")
    if selection.n_unknown_domain:
        console.print(f"{selection.n_unknown_domain} meldingen met een onbekende categorie (domein 'onbekend') zijn "
                      "meegenomen; deel ze in met `netwerk categorieen`.")
    for line in notes:
        console.print(line)
    for path in written:
        console.print(f"geschreven: {path}")


def _print_knox(knox: dict[str, Knox], fmt: Format) -> None:
    if fmt is Format.json:
        print_json({dom: k.to_dict() for dom, k in knox.items()})
        return
    if not knox:
        console.print("Te weinig meldingen met coördinaten voor een near-repeat-toets.")
    for dom, k in knox.items():
        table = Table(title=f"Near-repeat (Knox) {dom}: {k.n_sampled} van {k.n_events} meldingen, "
                            f"{k.permutations} permutaties")
        table.add_column("afstand (m)")
        for t0, t1 in zip((0.0, *k.time_edges[:-1]), k.time_edges, strict=True):
            table.add_column(f"{t0:g}-{t1:g} dagen", justify="right")
        for i, (d0, d1) in enumerate(zip((0.0, *k.distance_edges[:-1]), k.distance_edges, strict=True)):
            cells = []
            for j in range(len(k.time_edges)):
                ratio = "-" if k.ratio[i, j] != k.ratio[i, j] else f"{k.ratio[i, j]:.2f}"
                star = "*" if k.p_value[i, j] <= 0.05 else ""
                cells.append(f"{k.observed[i, j]} ({ratio}{star})")
            table.add_row(f"{d0:g}-{d1:g}", *cells)
        console.print(table)
    console.print("Cel: waargenomen paren (Knox-ratio; * = p <= 0,05 tegen permutaties).")


def register(app: typer.Typer) -> None:
    app.command("hotspots")(hotspots)
