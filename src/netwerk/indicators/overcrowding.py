"""Address overcrowding: many adults registered at the same time for the floor area and gebruiksdoel."""

from __future__ import annotations

import numpy as np
import pandas as pd

from netwerk.frames import Frames
from netwerk.indicators.base import Context, Evidence, Flag, indicator
from netwerk.indicators.data import adult_registrations, max_concurrent, reg_records, runs


def _peak(frames: Frames, ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per-address maximum of concurrent adults with floor area and purpose, the adult registrations); only
    addresses with at least the lowest adult threshold."""
    regs = adult_registrations(frames, ctx)
    peak = max_concurrent(regs, ctx.start, ctx.end)
    cfg = ctx.config
    peak = peak[peak["max_concurrent"] >= min(cfg.min_adults, cfg.min_adults_logies, cfg.min_adults_no_area)]  # can hit
    adr = frames.addresses[["address_id", "purpose", "floor_area_m2"]]
    peak = peak.merge(adr, on="address_id", how="left")
    peak["floor_area_m2"] = pd.to_numeric(peak["floor_area_m2"], errors="coerce")
    peak["m2_per_adult"] = peak["floor_area_m2"] / peak["max_concurrent"].clip(lower=1)
    return peak, regs


@indicator("overcrowding", "Overbewoning", "huisvesting", ("address",))
def overcrowding(frames: Frames, ctx: Context) -> list[Flag]:
    """Addresses where many adults were registered at the same moment for the floor area.

    What: the maximum number of adults (age >= ``adult_age``) registered at one address at the same
    moment in the period (interval sweep over BRP registrations, half-open [start, end)), compared
    with the floor area per adult. Why: exploited workers are often housed many to a dwelling
    (barrier *huisvesting*). Thresholds: woonfunctie ``min_adults`` (5) adults with less than
    ``max_m2_per_adult`` (15 m2) each; logiesfunctie (built for many short-stay guests)
    ``min_adults_logies`` (8) with less than ``max_m2_per_adult_logies`` (10 m2); unknown floor area
    ``min_adults_no_area`` (8). Confounders: big families (children do not count), student houses
    (enough m2 per adult), legitimate labour-migrant housing (logiesfunctie, large floor area).
    Strength: 0.5 at the threshold rising to 1 as the m2 per adult drops to half of it.
    """
    cfg = ctx.config
    peak, regs = _peak(frames, ctx)
    logies = peak["purpose"].eq("logiesfunctie").to_numpy()
    min_n = np.where(logies, cfg.min_adults_logies, cfg.min_adults)
    max_m2 = np.where(logies, cfg.max_m2_per_adult_logies, cfg.max_m2_per_adult)
    area_known = peak["floor_area_m2"].notna().to_numpy()
    n = peak["max_concurrent"].to_numpy()
    m2 = peak["m2_per_adult"].to_numpy()
    hit = np.where(area_known, (n >= min_n) & (m2 < max_m2), n >= cfg.min_adults_no_area)
    strength = np.where(
        area_known,
        0.5 + 0.5 * np.clip(1 - m2 / max_m2, 0, 0.5) * 2,
        np.clip(0.5 * n / max(cfg.min_adults_no_area, 1), 0.5, 1.0),
    )
    flagged = peak.loc[hit].assign(strength=strength[hit], min_n=min_n[hit], max_m2=max_m2[hit])
    if flagged.empty:
        return []
    active = regs[regs["address_id"].isin(flagged["address_id"])].merge(
        flagged[["address_id", "peak_date"]], on="address_id"
    )
    on_peak = (active["start_date"].isna() | (active["start_date"].dt.normalize() <= active["peak_date"])) & (
        active["end_date"].isna() | (active["end_date"] > active["peak_date"])
    )
    active = active.loc[on_peak.to_numpy()].sort_values(["address_id", "person_id", "start_date"])
    recs, persons = reg_records(active), active["person_id"].to_numpy()
    by_addr = {k: (i, j) for k, i, j in runs(active["address_id"].to_numpy())}
    flags = []
    for row in flagged.itertuples(index=False):
        i, j = by_addr.get(row.address_id, (0, 0))
        area = "onbekend" if pd.isna(row.floor_area_m2) else f"{row.floor_area_m2:.0f} m²"
        per = "" if pd.isna(row.m2_per_adult) else f" ({row.m2_per_adult:.1f} m² per volwassene)"
        flags.append(Flag(
            indicator="overcrowding",
            subject_type="address",
            subject_id=str(row.address_id),
            barrier="huisvesting",
            value=float(row.max_concurrent),
            threshold=float(row.min_n),
            strength=float(row.strength),
            reason=(
                f"{row.max_concurrent} volwassenen tegelijk ingeschreven op {row.peak_date:%d-%m-%Y}, "
                f"gebruiksdoel {row.purpose or 'onbekend'}, oppervlakte {area}{per}"
            ),
            evidence=Evidence(
                persons=tuple(sorted(set(persons[i:j]))),
                addresses=(str(row.address_id),),
                registrations=tuple(recs[i:j]),
            ),
        ))
    return flags
