"""`netwerk agenda`: the agenda of a twee-wekelijks overleg, Groot Integraal Overleg or politieoverleg."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from netwerk.cases import build_agenda, case_frames, render
from netwerk.cases.inputs import analyses_for
from netwerk.commands.cases import LadderOpt, NoAnalysesOpt, ladder_from
from netwerk.commands.common import StoreOpt, console, store_from, user_errors, valid_date
from netwerk.frames import Frames
from netwerk.monitor.agenda import with_monitor_sections

__all__ = ["register"]


class AgendaFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"


def agenda(
    overleg: Annotated[str, typer.Option("--overleg", help="twee-wekelijks, gio, politie of ondermijningstafel.")],
    date: Annotated[str | None, typer.Option("--date", callback=valid_date,
                                             help="Datum van het overleg; standaard de laatste datum in de data.")
                    ] = None,
    since: Annotated[str | None, typer.Option("--since", callback=valid_date,
                                              help="Datum van het vorige overleg (standaard: datum min "
                                                               "de termijn van het overleg).")] = None,
    interval: Annotated[int | None, typer.Option("--interval", help="Termijn in dagen (standaard uit de ladder: "
                                                                     "14, 42 of 56).")] = None,
    top: Annotated[int, typer.Option("--top", help="Aantal hotspots op de agenda.")] = 10,
    fmt: Annotated[AgendaFormat, typer.Option("--format", help="md, html of json.")] = AgendaFormat.md,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Schrijf naar dit bestand.")] = None,
    no_analyses: NoAnalysesOpt = False,
    store: StoreOpt = None,
    ladder: LadderOpt = None,
) -> None:
    """Maak de agenda van een overleg: nieuwe meldingen, casussen voor besluit, verlopen afspraken,
    terugkerende hotspots en nieuwe indicatorsignalen."""
    lad = ladder_from(ladder)
    with user_errors():
        lad.overleg(overleg)
        if top < 0:
            raise ValueError("--top mag niet negatief zijn")
    with store_from(store) as st:
        frames, cf = Frames.from_store(st), case_frames(st)
        hotspots, flags, notes = analyses_for(frames, no_analyses, store=st, until=date)
        result = build_agenda(frames, cf, lad, overleg, date=date, since=since, interval_days=interval,
                              hotspots=hotspots, flags=flags, top_hotspots=top, notes=notes)
        result = with_monitor_sections(result, st, frames, flags)
    text = render(result, fmt.value)
    if output is None:
        typer.echo(text)
        return
    with user_errors():
        output.write_text(text, encoding="utf-8")
    console.print(f"Agenda geschreven naar {output}.")


def register(app: typer.Typer) -> None:
    app.command("agenda")(agenda)
