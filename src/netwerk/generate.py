"""Synthetic municipality generator: a folder in the canonical import format v1 plus ``ground_truth.json``.

Any Dutch municipality (by CBS code) can be generated inside its real buurten; Oldambt is the default.

The background (addresses, households with BRP histories, businesses, meldingen) scales with ``size``;
the planted patterns (address hotspots, location-only youth nuisance, an area fenomeen, a one-day burst,
youth groups, trafficking rings with confounders, cases) are present in comparable numbers at every size.
Same ``seed`` and ``size`` give byte-identical files.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from netwerk.synth.bag import bag_forms
from netwerk.synth.gemeente import DEFAULT, load_gemeente
from netwerk.synth.output import CHUNK, Writer
from netwerk.synth.planted_cases import plant_cases
from netwerk.synth.planted_housing import choose_housing, plant_confounders, plant_rings
from netwerk.synth.planted_places import (
    choose_addresses,
    plant_burst,
    plant_fenomeen,
    plant_hotspots,
    plant_locations,
)
from netwerk.synth.planted_youth import plant_youth
from netwerk.synth.population import build_addresses, build_businesses, build_households
from netwerk.synth.signals import background_signals, load_categories
from netwerk.synth.world import SIZES, World

__all__ = ["SIZES", "generate"]

_N_RESERVED_MELDERS = 5_000


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[], None]]:
    if not enabled:
        yield lambda: None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("synthetische gemeente", total=total)
        yield lambda: bar.advance(task)


def generate(
    out_dir: Path, seed: int = 42, size: str = "small", progress: bool = False, gemeente: str = DEFAULT,
    rd: bool = False, bag: bool = False,
) -> dict[str, Any]:
    """Generate the municipality into ``out_dir``; returns the ground truth (also ``ground_truth.json``).

    ``gemeente`` is a CBS code (GM1895 Oldambt, the default; GM0141 Almelo, GM1598 Koggenland, ...): streets,
    addresses and every planted pattern lie in that municipality's real buurten. ``rd`` writes RD New
    ``x``/``y`` instead of ``lat``/``lon``; ``bag`` writes house numbers in BAG forms and 16-digit
    nummeraanduiding ids for part of the addresses (``bag_house_numbers`` in the ground truth).
    """
    if size not in SIZES:
        raise ValueError(f"onbekende grootte {size!r}; kies uit {', '.join(SIZES)}")
    spec = SIZES[size]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    buurten, layout = load_gemeente(gemeente)
    w = World(rng=rng, size=size, spec=spec, buurten=buurten, layout=layout)
    cats = load_categories()
    avoid = [(lat, lon) for _, lat, lon, _ in layout.locations]
    melders = rng.permutation(max(500, spec.signals // 4) + _N_RESERVED_MELDERS) + 1
    w.melder_reserved, bg_melders = melders[:_N_RESERVED_MELDERS], melders[_N_RESERVED_MELDERS:]
    with _progress(progress, 12 + spec.signals // CHUNK) as tick:
        build_addresses(w, avoid)
        choose_addresses(w)
        choose_housing(w)
        build_households(w)
        n_bg_persons = w.n_persons
        build_businesses(w)
        tick()
        plant_hotspots(w, cats)
        plant_locations(w)
        plant_fenomeen(w, cats, spec.signals)
        plant_burst(w)
        plant_youth(w)
        plant_rings(w, cats)
        plant_confounders(w)
        tick()
        desc_list: list[str] = []
        n_planted = len(w.planted_signals)
        bg = background_signals(w, cats, max(0, spec.signals - n_planted), desc_list, bg_melders,
                                n_bg_persons, avoid)
        tick()
        bg_domain = cats.domain[bg.cat]
        plant_cases(w, bg, bg_domain, n_planted)
        forms = bag_forms(w.addr, seed, layout.code) if bag else None
        writer = Writer(w, out, tick, rd=rd, bag=forms)
        writer.static_tables()
        writer.signals(bg, cats, desc_list)
        writer.cases()
        jeugd_rows = np.isin(bg.sp_row, np.flatnonzero(bg_domain == "jeugd"))
        bg_youths = [int(p) for p in np.unique(bg.sp_person[jeugd_rows])]
        gt = writer.ground_truth(seed, size, bg_youths)
        (out / "ground_truth.json").write_text(json.dumps(gt, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        tick()
    return gt
