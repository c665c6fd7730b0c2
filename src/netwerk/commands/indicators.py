"""`netwerk indicators`: explainable ranking of addresses, persons or businesses by mensenhandel- and
ondermijningsindicatoren (signals for investigation, never verdicts)."""

from __future__ import annotations

from enum import StrEnum
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
    err_console,
    print_json,
    store_from,
    user_errors,
)
from netwerk.frames import Frames
from netwerk.indicators import INDICATOR_COLUMNS, INDICATOR_TABLES, load_config
from netwerk.indicators.ranking import DISCLAIMER
from netwerk.indicators.sbi import unparseable_sbi
from netwerk.services.indicators import ranked as ranked_with_reviews


class Subject(StrEnum):
    address = "address"
    person = "person"
    business = "business"


SubjectOpt = Annotated[Subject, typer.Option("--subject", help="Wat rangschikken: address, person of business.")]
TopOpt = Annotated[int | None, typer.Option("--top", min=1, help="Alleen de eerste N onderwerpen.")]
ConfigOpt = Annotated[
    str | None, typer.Option("--config", help="TOML-bestand met drempels en gewichten (zie docs/indicators.md).")
]
DismissedOpt = Annotated[
    bool, typer.Option("--afgewezen/--zonder-afgewezen", help="Ook afgewezen signalen met ongewijzigd bewijs tonen.")
]


def indicators(
    subject: SubjectOpt = Subject.address,
    store: StoreOpt = None,
    fmt: FormatOpt = Format.table,
    since: SinceOpt = None,
    until: UntilOpt = None,
    top: TopOpt = None,
    config: ConfigOpt = None,
    dismissed: DismissedOpt = False,
) -> None:
    """Rangschik adressen, personen of ondernemingen op indicatoren voor mensenhandel/ondermijning.

    Elke score is de som van gewicht × sterkte per indicator; elke indicator toont zijn bewijs.
    Signaal voor nader onderzoek, geen oordeel.
    """
    with user_errors():
        cfg = load_config(config)
    with store_from(store) as st:
        frames = Frames.from_store(st, tables=INDICATOR_TABLES, columns=INDICATOR_COLUMNS)
        ranked = ranked_with_reviews(
            frames, subject.value, st.nodes_df("ReviewItem"), since=since, until=until, config=cfg,
            include_dismissed=dismissed, top=top,
        )
    bad = unparseable_sbi(frames.businesses)
    if len(bad):
        shown = ", ".join(f"{b} ({c!r})" for b, c in bad.head(5).itertuples(index=False))
        err_console.print(f"Let op: {len(bad)} onderneming(en) met een onleesbare SBI-code (niet als risicosector "
                          f"herkend): {shown}{' …' if len(bad) > 5 else ''}")
    if fmt is Format.json:
        print_json(ranked)
        return
    table = Table(title=f"Indicatoren per {_NL[subject.value]} — {DISCLAIMER}")
    for col, just in (("#", "right"), (_NL[subject.value].capitalize(), "left"), ("Score", "right"),
                      ("Indicatoren (bijdrage: waarde/drempel)", "left"), ("Beoordeling", "left")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    for d in ranked:
        parts = "\n".join(
            f"{i['name']} {i['contribution']:.2f}: {i['value']:g}/{i['threshold']:g} — {i['reason']}"
            for i in d["indicators"]
        )
        table.add_row(str(d["rank"]), d["subject_id"], f"{d['score']:.2f}", parts, d["review_status"] or "-")
    console.print(table)
    if not ranked:
        console.print("Geen signalen in deze periode.")


_NL = {"address": "adres", "person": "persoon", "business": "onderneming"}


def register(app: typer.Typer) -> None:
    app.command("indicators")(indicators)
