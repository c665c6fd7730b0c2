"""High turnover: many short registrations at one address within the look-back window."""

from __future__ import annotations

import pandas as pd

from netwerk.frames import Frames
from netwerk.indicators.base import Context, Evidence, Flag, count_strength, indicator
from netwerk.indicators.data import adult_ids, overlapping, reg_records


def short_stays(frames: Frames, ctx: Context) -> pd.DataFrame:
    """Adult registrations that started in the window and ended within ``short_stay_days``."""
    cfg = ctx.config
    until = ctx.end.normalize()
    since = ctx.window_start(cfg.turnover_days)
    r = frames.registrations
    s, e = r["start_date"].dt.normalize(), r["end_date"].dt.normalize()
    keep = (s >= since) & (s <= until) & e.notna() & (e <= until) & ((e - s).dt.days <= cfg.short_stay_days)
    r = r.loc[keep.to_numpy()]
    r = r[r["person_id"].isin(adult_ids(frames, ctx.end, cfg.adult_age))]
    # seasonal work on the payroll in logies housing is the legitimate form of short stays
    bp = overlapping(frames.business_persons, ctx.start, ctx.end)
    workers = set(bp.loc[bp["role"].eq("werknemer"), "person_id"])
    logies = set(frames.addresses.loc[frames.addresses["purpose"].eq("logiesfunctie"), "address_id"])
    return r[~(r["person_id"].isin(workers) & r["address_id"].isin(logies)).to_numpy()]


@indicator("turnover", "Snelle wisseling van bewoners", "identiteit", ("address",))
def turnover(frames: Frames, ctx: Context) -> list[Flag]:
    """Addresses with many short BRP registrations in the last ``turnover_days`` (365).

    What: adult registrations that started in the window (relative to the latest date in the data,
    or ``--since/--until``) and ended within ``short_stay_days`` (120). Flag at ``min_short_stays``
    (4). Stays in logiesfunctie of persons with a werknemer role in the period are not counted.
    Why: a stream of short registrations points at a 'doorloopadres' for workers or at
    spookburgers (barrier *registratie/identiteit*). Confounders: student houses and families
    (their registrations last far longer than 120 days), children (not counted), seasonal workers on
    the payroll in logies housing (not counted).
    Strength: count / (2 x threshold), between 0.5 and 1.
    """
    cfg = ctx.config
    short = short_stays(frames, ctx)
    counts = short.groupby("address_id").size()
    hit = counts[counts >= cfg.min_short_stays]
    flags = []
    for addr, g in short[short["address_id"].isin(hit.index)].sort_values(
        ["address_id", "start_date", "person_id"]
    ).groupby("address_id"):
        n = len(g)
        flags.append(Flag(
            indicator="turnover",
            subject_type="address",
            subject_id=str(addr),
            barrier="identiteit",
            value=float(n),
            threshold=float(cfg.min_short_stays),
            strength=count_strength(n, cfg.min_short_stays),
            reason=(
                f"{n} korte inschrijvingen (≤ {cfg.short_stay_days} dagen) van {g['person_id'].nunique()} "
                f"volwassenen in de laatste {cfg.turnover_days} dagen"
            ),
            evidence=Evidence(
                persons=tuple(sorted(set(g["person_id"]))),
                addresses=(str(addr),),
                registrations=tuple(reg_records(g)),
            ),
        ))
    return flags
