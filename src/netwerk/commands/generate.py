"""`netwerk generate`: a synthetic Oldambt-like municipality with planted patterns."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from netwerk.commands.common import console, user_errors


class Size(StrEnum):
    small = "small"
    medium = "medium"
    large = "large"
    huge = "huge"


def generate(
    out: Annotated[Path, typer.Option("--out", help="Map voor de CSV-bestanden (importformaat v1).")],
    seed: Annotated[int, typer.Option("--seed", help="Startwaarde: zelfde seed, zelfde gemeente.")] = 42,
    size: Annotated[
        Size, typer.Option("--size", help="small, medium, large of huge (1 miljoen meldingen).")
    ] = Size.small,
) -> None:
    """Maak een synthetische gemeente (Oldambt-achtig) met geplante patronen en ground truth."""
    from netwerk.generate import generate as run

    with user_errors():
        truth = run(out, seed=seed, size=size.value, progress=True)
    counts = truth.get("counts", {})
    console.print(
        f"Synthetische gemeente in {out}: "
        + ", ".join(f"{n:,} {k}".replace(",", ".") for k, n in counts.items())
        + f" (ground truth: {out / 'ground_truth.json'})"
    )


def register(app: typer.Typer) -> None:
    app.command("generate")(generate)
