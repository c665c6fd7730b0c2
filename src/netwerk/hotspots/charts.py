"""Time-series charts (matplotlib PNG): signals per month of a hotspot, and a fenomeen before/after."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from netwerk.frames import Frames
from netwerk.hotspots.detect import Hotspot
from netwerk.hotspots.figures import save_figure
from netwerk.hotspots.trend import TREND_LABELS

if TYPE_CHECKING:
    from netwerk.fenomeen import FollowResult

__all__ = ["follow_chart", "hotspot_chart", "monthly_counts"]


def monthly_counts(frames: Frames, signal_ids: list[str], since: pd.Timestamp | None = None,
                   until: pd.Timestamp | None = None) -> pd.Series:
    """Signals per calendar month (a Series indexed by month start, zero months included)."""
    sig = frames.signals
    t = sig.loc[sig["signal_id"].isin(signal_ids), "reported_at"].dropna()
    lo = (since or (t.min() if len(t) else frames.reference_date)).to_period("M")
    hi = (until or frames.reference_date).to_period("M")
    months = pd.period_range(lo, max(lo, hi), freq="M")
    counts = t.dt.to_period("M").value_counts().reindex(months, fill_value=0)
    return pd.Series(counts.to_numpy(), index=months.to_timestamp(), name="n_signals")


def hotspot_chart(hotspot: Hotspot, frames: Frames, path: str | Path) -> Path:
    """Bar chart of the hotspot's evidence signals per month over the analysed period (empty months too, so
    the bars show what the trend in the title measured), with trend and score in the title."""
    lo, hi = hotspot.extra.get("period_start"), hotspot.extra.get("period_end")
    counts = monthly_counts(frames, hotspot.evidence, since=pd.Timestamp(lo) if lo else None,
                            until=pd.Timestamp(hi) if hi else None)
    fig, ax = plt.subplots(figsize=(8, 3.2), dpi=100)
    ax.bar(counts.index, counts.to_numpy(), width=25, color="#e6550d")
    ax.set_ylabel("meldingen per maand")
    ax.set_title(f"{hotspot.category} - {hotspot.label or hotspot.key}\n{hotspot.n_signals} meldingen, "
                 f"{hotspot.n_sources} melders/partners, trend {TREND_LABELS[hotspot.trend]}, "
                 f"score {hotspot.score:.1f}", fontsize=9)
    fig.autofmt_xdate()
    return save_figure(fig, path)


def follow_chart(result: FollowResult, path: str | Path) -> Path:
    """Monthly counts before (grey) and after (purple) the fenomeen started."""
    m = result.monthly
    fig, ax = plt.subplots(figsize=(8, 3.2), dpi=100)
    colours = ["#bdbdbd" if p == "voor" else "#756bb1" for p in m["phase"]]
    ax.bar(m["month"], m["n_signals"], width=25, color=colours)
    start = m.loc[m["phase"] == "na", "month"]
    if len(start):
        ax.axvline(start.iloc[0] - pd.Timedelta(days=15), color="black", linestyle="--", linewidth=1)
    ax.set_ylabel("meldingen per maand")
    ax.set_title(f"Fenomeen {result.fenomeen_id}\n{result.verdict}", fontsize=9)
    fig.autofmt_xdate()
    return save_figure(fig, path)
