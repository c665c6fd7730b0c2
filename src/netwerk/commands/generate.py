"""`netwerk generate`: a synthetic municipality (Oldambt by default, any CBS gemeente) with planted patterns."""

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
    regio = "regio"


def generate(
    out: Annotated[Path, typer.Option("--out", help="Map voor de CSV-bestanden (importformaat v1).")],
    seed: Annotated[int, typer.Option("--seed", help="Startwaarde: zelfde seed, zelfde gemeente.")] = 42,
    size: Annotated[
        Size, typer.Option("--size", help="small, medium, large, huge (1 miljoen meldingen) of regio "
                                          "(10 miljoen meldingen, 2 miljoen personen).")
    ] = Size.small,
    gemeente: Annotated[str, typer.Option(
        "--gemeente", help="CBS-gemeentecode of -naam, bv. GM1895 (Oldambt, standaard), GM0141 (Almelo), GM1598 "
                      "(Koggenland)."
    )] = "GM1895",
    rd: Annotated[bool, typer.Option(
        "--rd", help="Coördinaten als RD New (kolommen x/y, EPSG:28992) in plaats van lat/lon.")] = False,
    bag: Annotated[bool, typer.Option(
        "--bag", help="Huisnummers in BAG-vormen ('15 A', '15-1', '15A-2', '15 bis') en deels 16-cijferige "
                      "nummeraanduiding-id's.")] = False,
) -> None:
    """Maak een synthetische gemeente met geplante patronen en ground truth, in de echte buurten van de gekozen
    gemeente (landelijke CBS-buurtdata)."""
    from netwerk.generate import generate as run

    with user_errors():
        truth = run(out, seed=seed, size=size.value, progress=True, gemeente=gemeente, rd=rd, bag=bag)
    counts = truth.get("counts", {})
    console.print(
        f"Synthetische gemeente {truth['gemeente']['name']} ({truth['gemeente']['code']}) in {out}: "
        + ", ".join(f"{n:,} {k}".replace(",", ".") for k, n in counts.items())
        + f" (ground truth: {out / 'ground_truth.json'})"
    )


def register(app: typer.Typer) -> None:
    app.command("generate")(generate)
