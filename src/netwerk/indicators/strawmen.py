"""Straw men: quick succession of owners/directors at one business."""

from __future__ import annotations

import pandas as pd

from netwerk.frames import Frames
from netwerk.indicators.base import Context, Evidence, Flag, indicator
from netwerk.indicators.data import role_records
from netwerk.indicators.labour import leading_roles


def successions(frames: Frames, ctx: Context) -> pd.DataFrame:
    """Owner/director roles that started in the look-back window after the business was founded."""
    until = ctx.end.normalize()
    since = ctx.window_start(ctx.config.straw_window_days)
    founded = frames.businesses[["business_id", "registered_at"]]
    roles = leading_roles(frames).merge(founded, on="business_id", how="left")
    s = roles["start_date"].dt.normalize()
    keep = (s >= since) & (s <= until) & (roles["registered_at"].isna() | (s > roles["registered_at"]))
    return roles.loc[keep.to_numpy()]


@indicator("straw_men", "Katvangers (snelle wisseling eigenaar/bestuurder)", "financien", ("business",))
def straw_men(frames: Frames, ctx: Context) -> list[Flag]:
    """Businesses whose owner/director changed at least ``min_straw_changes`` (2) times in the window.

    What: owner/director roles (KvK, ``business_persons``) that started within the last
    ``straw_window_days`` (730) after the business's registration date; each is a change of the
    person in charge. Why: a quick succession of owners/directors is a known sign of katvangers
    (straw men) who hide the real owner, e.g. to pass Bibob checks or to launder money (barrier
    *financiën*). Confounders: a normal sale or succession (one change) stays under the threshold.
    Strength: 0.5 at the threshold, 1 at twice the threshold.
    """
    cfg = ctx.config
    succ = successions(frames, ctx)
    counts = succ.groupby("business_id")["person_id"].size()
    hit = counts[counts >= cfg.min_straw_changes]
    all_roles = leading_roles(frames)
    flags = []
    for b in sorted(hit.index):
        k = int(hit[b])
        roles = all_roles[all_roles["business_id"] == b].sort_values(["start_date", "person_id"])
        flags.append(Flag(
            indicator="straw_men",
            subject_type="business",
            subject_id=str(b),
            barrier="financien",
            value=float(k),
            threshold=float(cfg.min_straw_changes),
            strength=min(1.0, 0.5 * k / max(cfg.min_straw_changes, 1)),
            reason=f"{k} wisselingen van eigenaar/bestuurder in de laatste {cfg.straw_window_days} dagen",
            evidence=Evidence(
                persons=tuple(sorted(set(roles["person_id"]))),
                businesses=(str(b),),
                roles=tuple(role_records(roles)),
            ),
        ))
    return flags
