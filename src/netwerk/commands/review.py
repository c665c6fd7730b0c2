"""`netwerk review`: the review workflow of indicator signals (list, show, set, sync)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from netwerk.commands.common import Format, FormatOpt, SinceOpt, StoreOpt, UntilOpt, console, print_json, store_from
from netwerk.dating import record_timestamp
from netwerk.frames import Frames
from netwerk.indicators import INDICATOR_COLUMNS, INDICATOR_TABLES, run_indicators
from netwerk.indicators.base import SUBJECTS
from netwerk.indicators.ranking import DISCLAIMER, rank_flags
from netwerk.review import get_review, list_reviews, set_review, sync_reviews
from netwerk.store import GraphStore

app = typer.Typer(help="Beoordeling van signalen: nieuw, in onderzoek, bevestigd, afgewezen.", no_args_is_help=True)

SyncOpt = Annotated[
    bool, typer.Option("--sync/--no-sync", help="Eerst de indicatoren draaien en beoordelingen bijwerken.")
]


def _sync(st: GraphStore, since: str | None, until: str | None) -> dict[str, int]:
    frames = Frames.from_store(st, tables=INDICATOR_TABLES, columns=INDICATOR_COLUMNS)
    flags = run_indicators(frames, since=since, until=until)
    ranked = [d for s in SUBJECTS for d in rank_flags(flags, s, include_dismissed=True)]
    return sync_reviews(st, ranked, at=record_timestamp(frames.reference_date))


@app.command("sync")
def sync(store: StoreOpt = None, since: SinceOpt = None, until: UntilOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Draai de indicatoren en maak/werk een beoordeling bij voor elk gesignaleerd onderwerp."""
    with store_from(store) as st:
        counts = _sync(st, since, until)
    if fmt is Format.json:
        print_json(counts)
        return
    console.print(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counts.items()))


@app.command("list")
def list_(
    store: StoreOpt = None,
    status: Annotated[str | None, typer.Option("--status", help="Alleen deze status.")] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="address, person of business.")] = None,
    sync_first: SyncOpt = True,
    since: SinceOpt = None,
    until: UntilOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Toon de beoordelingen (standaard na het bijwerken met de huidige indicatoren)."""
    with store_from(store) as st:
        if sync_first:
            _sync(st, since, until)
        df = list_reviews(st, status=status, subject_type=subject)
    if fmt is Format.json:
        print_json(df.to_dict("records"))
        return
    table = Table(title=f"Beoordelingen — {DISCLAIMER}")
    for col in ("Id", "Onderwerp", "Score", "Status", "Gewijzigd", "Door"):
        table.add_column(col)
    for r in df.to_dict("records"):
        table.add_row(r["review_id"], r["subject_type"], f"{r['score']:.2f}", r["status"], str(r["updated_at"]),
                      str(r["updated_by"]))
    console.print(table)


@app.command("show")
def show(review_id: str, store: StoreOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Toon één beoordeling met notities."""
    with store_from(store) as st:
        item = get_review(st, review_id)
    if fmt is Format.json:
        print_json(item)
        return
    for k, v in item.items():
        console.print(f"[bold]{k}[/]: {v}")


@app.command("set")
def set_(
    review_id: str,
    store: StoreOpt = None,
    status: Annotated[str | None, typer.Option("--status", help="nieuw, in onderzoek, bevestigd of afgewezen.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Notitie (wordt toegevoegd met naam en tijd).")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Wijzig de status van een beoordeling en/of voeg een notitie toe (gebruiker uit NETWERK_USER)."""
    with store_from(store) as st:
        item = set_review(st, review_id, status=status, note=note)
    if fmt is Format.json:
        print_json(item)
        return
    console.print(f"{item['review_id']}: status {item['status']} (door {item['updated_by']})")




def register(root: typer.Typer) -> None:
    root.add_typer(app, name="review")
