"""`netwerk demo`: the main job on a synthetic municipality, end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from netwerk.commands.common import StoreOpt, console, store_from
from netwerk.commands.generate import Size


def demo(
    out: Annotated[Path, typer.Option("--out", help="Map voor de resultaten.")] = Path("netwerk-output"),
    size: Annotated[Size, typer.Option("--size", help="Grootte van de synthetische gemeente.")] = Size.small,
    seed: Annotated[int, typer.Option("--seed", help="Startwaarde van de generator.")] = 42,
    store: StoreOpt = None,
) -> None:
    """Genereer een synthetische gemeente, lees haar in en draai alle analyses; resultaten in --out."""
    from netwerk.demo import demo_login, run_demo

    with store_from(store, create=True) as st, console.status("bezig…") as status:
        result = run_demo(st, out, size=size.value, seed=seed, step=lambda s: status.update(f"{s}…"))
        user, password = demo_login(st)
    table = Table(title=f"netwerk demo — resultaten in {out}")
    table.add_column("Stap")
    table.add_column("Seconden", justify="right")
    for name, secs in result.seconds.items():
        table.add_row(name, f"{secs:.1f}")
    console.print(table)
    console.print(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in result.summary.items()))
    for name, path in result.files.items():
        console.print(f"  {name}: {path}")
    console.print("[dim]Signalen zijn aanwijzingen voor professionals, geen oordelen.[/]")
    serve = "netwerk serve" + (f" --store {store}" if store else "")
    console.print(f"\nDe webapplicatie: [bold]{serve}[/] (met .venv/bin/ ervoor of na `source .venv/bin/activate`),"
                  f" dan http://127.0.0.1:8000/")
    console.print(f"Inloggen: gebruiker [bold]{user}[/], wachtwoord [bold]{password}[/], doel 'Analyse'.")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
