"""The effect of measures (camera, toezicht, buurtbemiddeling, fenomeenaanpak, …): signal counts before and after
the start in the area of the measure, against comparison areas without a measure.

The estimate is a difference-in-differences on the log scale: the Poisson rate ratio

    RR = (after / before in the measure's area) / (after / before in the comparison areas)

with the 95 % interval ``exp(log RR ± 1.96 · sqrt(1/a1 + 1/a2 + 1/c1 + 1/c2))`` (0.5 added to every count when
one is zero). Window lengths cancel out of RR. RR < 1 means fewer signals than the comparison areas make expect.
Too few signals (fewer than ``min_count`` in the measure's area before and after together, or none in the
comparison) give "te weinig meldingen om iets te zeggen" instead of a verdict. A change in the numbers is a
signal for the team, not proof that the measure worked: other things change too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from netwerk.frames import Frames
from netwerk.hotspots.geo import to_local_xy
from netwerk.monitor.themes import Theme, theme_members
from netwerk.monitor.watch import Place

if TYPE_CHECKING:
    from pathlib import Path

    from netwerk.store.base import GraphStore

__all__ = [
    "KINDS",
    "MeasureEffect",
    "measure_chart",
    "measure_effect",
    "measure_from_fenomeen",
    "measure_record",
    "save_measure",
]

KINDS = ("camera", "toezicht", "buurtbemiddeling", "fenomeenaanpak", "verlichting", "handhaving", "jongerenwerk",
         "gebiedsverbod", "sluiting", "overig")
MIN_COUNT = 10
MIN_AFTER_DAYS = 28
TOO_FEW = "te weinig meldingen om iets te zeggen"


def measure_record(
    frames: Frames,
    place: Place,
    *,
    kind: str,
    start: str,
    end: str | None = None,
    radius_m: float = 100.0,
    theme: str | None = None,
    category: str | None = None,
    description: str = "",
    created_by: str,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The ``Measure`` node (deterministic id ``MAAT-<start>-<kind>-<place>``; re-adding is idempotent)."""
    if kind not in KINDS:
        raise ValueError(f"onbekende soort maatregel {kind!r}; kies uit {', '.join(KINDS)}")
    day = pd.Timestamp(start).normalize()
    until = pd.Timestamp(end).normalize() if end else None
    if until is not None and until < day:
        raise ValueError(f"--tot ({until.date()}) ligt vóór --van ({day.date()})")
    slug = re.sub(r"[^a-z0-9]+", "-", place.key.lower()).strip("-")
    return {
        "measure_id": f"MAAT-{day.date().isoformat()}-{kind}-{slug}",
        "kind": kind,
        "area_code": place.key if place.kind == "gebied" else None,
        "address_id": place.key if place.kind == "adres" else None,
        "radius_m": float(radius_m) if place.kind == "adres" else None,
        "start_date": day.date().isoformat(),
        "end_date": until.date().isoformat() if until is not None else None,
        "theme": theme, "category": category, "description": description or None,
        "created_at": (now or datetime.now()).strftime("%Y-%m-%dT%H:%M:%S"), "created_by": created_by,
    }


def measure_from_fenomeen(fenomeen: Mapping[str, Any], area_codes: Sequence[str]) -> dict[str, Any]:
    """A recorded fenomeenaanpak (``netwerk fenomeen create``) as a measure: its buurt, category and start date,
    so its effect is measured the same way as any other measure."""
    if not area_codes:
        raise ValueError(f"fenomeen {fenomeen.get('fenomeen_id')}: geen gebied gekoppeld")
    return {"measure_id": fenomeen["fenomeen_id"], "kind": "fenomeenaanpak", "area_code": area_codes[0],
            "address_id": None, "radius_m": None, "start_date": str(fenomeen["created_at"])[:10], "end_date": None,
            "theme": None, "category": fenomeen.get("category"), "description": fenomeen.get("name"),
            "created_at": None, "created_by": fenomeen.get("created_by")}


def save_measure(store: GraphStore, node: Mapping[str, Any]) -> None:
    """Write the measure and its APPLIES_TO relationship (idempotent)."""
    label, end = ("Address", node["address_id"]) if node.get("address_id") else ("Area", node["area_code"])
    if label == "Area" and store.get_node("Area", end) is None:
        store.upsert_nodes("Area", [{"area_code": end}])
    store.upsert_nodes("Measure", [dict(node)])
    store.upsert_relationships("APPLIES_TO", [{"start": node["measure_id"], "end": end}], "Measure", label)


@dataclass(frozen=True)
class MeasureEffect:
    """Counts before/after in the measure's area and the comparison areas, the rate ratio and a plain verdict.

    Attributes
    ----------
    measure_id : str
    before, after : tuple of str
        First and last day (ISO) of the windows before and after the start.
    treated_before, treated_after, comparison_before, comparison_after : int
        Signal counts (a1, a2, c1, c2).
    comparison_areas : tuple of str
        The areas compared with (no measure in or around the windows).
    rate_ratio, ci_low, ci_high : float or None
        Difference-in-differences rate ratio and its 95 % interval.
    change : float or None
        ``rate_ratio - 1``: the relative change against what the comparison areas make expect.
    enough : bool
        False when there are too few signals to say anything.
    verdict : str
        Plain Dutch reading.
    monthly : DataFrame
        ``month, treated, comparison, expected`` (comparison scaled to the area's level before the start).
    """

    measure_id: str
    before: tuple[str, str]
    after: tuple[str, str]
    treated_before: int
    treated_after: int
    comparison_before: int
    comparison_after: int
    comparison_areas: tuple[str, ...]
    rate_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    change: float | None
    enough: bool
    verdict: str
    monthly: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            "measure_id": self.measure_id, "before": list(self.before), "after": list(self.after),
            "treated_before": self.treated_before, "treated_after": self.treated_after,
            "comparison_before": self.comparison_before, "comparison_after": self.comparison_after,
            "comparison_areas": list(self.comparison_areas), "rate_ratio": r(self.rate_ratio),
            "ci_low": r(self.ci_low), "ci_high": r(self.ci_high), "change": r(self.change), "enough": self.enough,
            "verdict": self.verdict,
            "months": [{"month": m.strftime("%Y-%m"), "treated": int(t), "comparison": int(c),
                        "expected": None if pd.isna(e) else round(float(e), 2)}
                       for m, t, c, e in self.monthly[["month", "treated", "comparison", "expected"]]
                       .itertuples(index=False)],
        }


def _selected(frames: Frames, measure: Mapping[str, Any], themes: Sequence[Theme]) -> pd.DataFrame:
    sig = frames.signals[frames.signals["reported_at"].notna()]
    if measure.get("theme"):
        chosen = [t for t in themes if t.id == measure["theme"]]
        if not chosen:
            raise ValueError(f"onbekend thema {measure['theme']!r}; zie de themetabel")
        sig = sig[sig["signal_id"].isin(theme_members(sig, chosen)["signal_id"])]
    if measure.get("category"):
        want = str(measure["category"]).strip().lower()
        sig = sig[(sig["category"].fillna("").str.strip().str.lower() == want)
                  | (sig["subcategory"].fillna("").str.strip().str.lower() == want)]
    return sig


def _near(sig: pd.DataFrame, address: Mapping[str, Any], radius: float) -> pd.Series:
    at = sig["address_id"] == address["address_id"]
    if pd.isna(address.get("lat")) or pd.isna(address.get("lon")) or sig.empty:
        return at
    lat0 = float(address["lat"])
    xy = to_local_xy(sig["lat"].to_numpy(float), sig["lon"].to_numpy(float), lat0=lat0)
    here = to_local_xy(np.array([lat0]), np.array([float(address["lon"])]), lat0=lat0)[0]
    return at | pd.Series(np.hypot(*(xy - here).T) <= radius, index=sig.index)


def measure_effect(
    frames: Frames,
    measure: Mapping[str, Any],
    *,
    themes: Sequence[Theme] = (),
    other_measures: pd.DataFrame | None = None,
    min_count: int = MIN_COUNT,
) -> MeasureEffect:
    """Before/after counts against comparison areas without a measure (see the module docstring).

    Parameters
    ----------
    frames : Frames
        The data (signals after the start included).
    measure : mapping
        A ``Measure`` node (:func:`measure_record`).
    themes : sequence of Theme
        The theme table, when the measure names a theme.
    other_measures : DataFrame, optional
        All ``Measure`` nodes: areas with another measure overlapping the windows are not compared with.
    min_count : int, default 10
        Minimum signals in the measure's area (before + after) for a verdict.

    Returns
    -------
    MeasureEffect
    """
    start = pd.Timestamp(measure["start_date"]).normalize()
    last = frames.reference_date
    end = min(pd.Timestamp(measure["end_date"]).normalize(), last) if measure.get("end_date") else last
    days = int((end - start).days) + 1
    if days < 1:
        raise ValueError(f"maatregel {measure['measure_id']}: er zijn nog geen gegevens na de start {start.date()}")
    b0 = start - pd.Timedelta(days=days)
    sig = _selected(frames, measure, themes)
    sig = sig[(sig["reported_at"] >= b0) & (sig["reported_at"] < end + pd.Timedelta(days=1))]
    after = sig["reported_at"] >= start

    if measure.get("address_id"):
        adr = frames.addresses.set_index("address_id")
        if measure["address_id"] not in adr.index:
            raise ValueError(f"adres {measure['address_id']!r} van de maatregel is onbekend")
        address = {"address_id": measure["address_id"], **adr.loc[measure["address_id"]].to_dict()}
        treated = _near(sig, address, float(measure.get("radius_m") or 100.0))
        level, own = "buurt_code", {address.get("buurt_code")}
    else:
        code = str(measure["area_code"])
        level = "wijk_code" if code in set(sig["wijk_code"].dropna()) and code not in set(
            sig["buurt_code"].dropna()) else "buurt_code"
        treated = sig[level] == code
        own = {code}
    excluded = set(own) | _measured_areas(frames, other_measures, measure, b0, end, level)
    comp = sig[level].notna() & ~sig[level].isin(excluded) & ~treated
    areas = tuple(sorted(set(sig.loc[comp, level])))
    a1, a2 = int((treated & ~after).sum()), int((treated & after).sum())
    c1, c2 = int((comp & ~after).sum()), int((comp & after).sum())

    rr = lo = hi = None
    enough = a1 + a2 >= min_count and c1 > 0 and c2 > 0 and days >= MIN_AFTER_DAYS
    if c1 > 0 and c2 > 0 and a1 + a2 > 0:
        k = 0.5 if 0 in (a1, a2) else 0.0
        rr = ((a2 + k) / (a1 + k)) / ((c2 + k) / (c1 + k))
        se = math.sqrt(1 / (a1 + k) + 1 / (a2 + k) + 1 / (c1 + k) + 1 / (c2 + k))
        lo, hi = rr * math.exp(-1.96 * se), rr * math.exp(1.96 * se)
    verdict = _verdict(enough, rr, lo, hi, a1, a2, days)
    monthly = _monthly(sig, treated, comp, start, b0, end, a1, c1)
    day = lambda t: t.date().isoformat()  # noqa: E731
    return MeasureEffect(str(measure["measure_id"]), (day(b0), day(start - pd.Timedelta(days=1))),
                         (day(start), day(end)), a1, a2, c1, c2, areas, rr, lo, hi,
                         None if rr is None else rr - 1, enough, verdict, monthly)


def _measured_areas(frames: Frames, others: pd.DataFrame | None, measure: Mapping[str, Any], b0: pd.Timestamp,
                    end: pd.Timestamp, level: str) -> set[str]:
    """Areas (at ``level``) with another measure whose period overlaps the windows."""
    if others is None or others.empty:
        return set()
    o = others[others["measure_id"] != measure["measure_id"]]
    starts = pd.to_datetime(o["start_date"])
    ends = pd.to_datetime(o["end_date"])
    o = o[(starts <= end) & (ends.isna() | (ends >= b0))]
    out = set(o["area_code"].dropna())
    adr = frames.addresses.set_index("address_id")[level] if len(frames.addresses) else pd.Series(dtype=object)
    out |= {adr.get(a) for a in o["address_id"].dropna() if adr.get(a)}
    return {str(x) for x in out}


def _verdict(enough: bool, rr: float | None, lo: float | None, hi: float | None, a1: int, a2: int,
             days: int) -> str:
    if days < MIN_AFTER_DAYS:
        return f"te kort na de start ({days} dagen) om iets te zeggen"
    if not enough or rr is None or lo is None or hi is None:
        return f"{TOO_FEW} ({a1} vóór en {a2} na de start in het gebied)"
    ci = f"95%-betrouwbaarheidsinterval {lo:.2f}–{hi:.2f}"
    if hi < 1:
        return (f"daling: {1 - rr:.0%} minder meldingen dan de vergelijkingsgebieden doen verwachten "
                f"(rate ratio {rr:.2f}, {ci})")
    if lo > 1:
        return (f"stijging: {rr - 1:.0%} meer meldingen dan de vergelijkingsgebieden doen verwachten "
                f"(rate ratio {rr:.2f}, {ci})")
    return f"geen aantoonbaar effect: rate ratio {rr:.2f}, {ci} omvat 1"


def _monthly(sig: pd.DataFrame, treated: pd.Series, comp: pd.Series, start: pd.Timestamp, b0: pd.Timestamp,
             end: pd.Timestamp, a1: int, c1: int) -> pd.DataFrame:
    months = pd.period_range(b0.to_period("M"), end.to_period("M"), freq="M")
    per = sig["reported_at"].dt.to_period("M")
    t = per[treated].value_counts().reindex(months, fill_value=0)
    c = per[comp].value_counts().reindex(months, fill_value=0)
    scale = a1 / c1 if c1 else np.nan
    return pd.DataFrame({"month": months.to_timestamp(), "treated": t.to_numpy(), "comparison": c.to_numpy(),
                         "expected": c.to_numpy() * scale, "after": months >= start.to_period("M")})


def measure_chart(effect: MeasureEffect, path: str | Path, title: str = "") -> Path:
    """Before/after chart: signals per month in the measure's area and the comparison scaled to its level."""
    from netwerk.hotspots.figures import plt, save_figure

    m = effect.monthly
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(m["month"], m["treated"], marker="o", label="gebied van de maatregel")
    ax.plot(m["month"], m["expected"], linestyle="--", label="verwacht volgens vergelijkingsgebieden")
    ax.axvline(pd.Timestamp(effect.after[0]), color="grey", linestyle=":", label="start maatregel")
    ax.set_ylabel("meldingen per maand")
    ax.set_title(title or f"Maatregel {effect.measure_id}")
    ax.legend(fontsize="small")
    ax.text(0.01, -0.25, effect.verdict, transform=ax.transAxes, fontsize="small", wrap=True)
    return save_figure(fig, path)
