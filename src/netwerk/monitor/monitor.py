"""Monitoring per priority: signal counts per theme (and area) and period, by source group, with the change
against the previous period — the monitoring tables of an Uitvoeringsplan Integrale Veiligheid.

:func:`monitor_table` is a pure function over :class:`~netwerk.frames.Frames`; the CLI, the service
layer and the web pages render its :class:`MonitorTable`.

Comparison rule (documented in docs/monitoring.md): the change against the previous period is given for
every period after the first, but it is marked as *not comparable* when the previous period has fewer
than ``min_count`` (10) signals ("te weinig meldingen om te vergelijken") or when either period is not
fully covered by the data ("onvolledige periode"). For comparable pairs ``beyond_chance`` says whether the
change is larger than chance alone would give (two-sided exact test of two Poisson counts, p < 0.05).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from scipy.stats import binomtest

from netwerk.frames import Frames
from netwerk.monitor.themes import SourceGroups, Theme, load_source_groups, source_group_of, theme_members
from netwerk.monitor.watch import wijk_codes

__all__ = ["MIN_COUNT", "PERIODS", "MonitorTable", "monitor_table", "period_label"]

PERIODS = {"jaar": "Y", "kwartaal": "Q"}
AREAS = {"buurt": "buurt_code", "wijk": "wijk_code"}
MIN_COUNT = 10
UNKNOWN_AREA = "onbekend"


def period_label(p: pd.Period) -> str:
    """``2024`` for a year, ``2024-K1`` for a quarter."""
    return str(p.year) if p.freqstr.startswith("Y") else f"{p.year}-K{p.quarter}"


@dataclass(frozen=True)
class MonitorTable:
    """Signal counts per theme (and area) and period.

    Attributes
    ----------
    per : str
        ``jaar`` or ``kwartaal``.
    gebied : str or None
        ``buurt``, ``wijk`` or None (the whole municipality).
    periods : tuple of str
        Period labels in time order (every period in the range, empty ones included).
    groups : tuple of str
        Source groups (columns), in the order of the source-group table.
    rows : DataFrame
        One row per theme, area and period: ``theme, theme_name, priority, area_code, area_name, period,
        <one column per group>, total, previous, change_abs, change_rel, comparable, beyond_chance,
        partial, note``.
    excluded : dict
        Signals left out of every count and why (e.g. ``{"zonder datum": 3}``).
    min_count : int
        The minimum count of the previous period for a comparison.
    """

    per: str
    gebied: str | None
    periods: tuple[str, ...]
    groups: tuple[str, ...]
    rows: pd.DataFrame
    excluded: dict[str, int] = field(default_factory=dict)
    min_count: int = MIN_COUNT

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: ``per, gebied, periods, groups, min_count, excluded, rows``."""
        recs = []
        for r in self.rows.to_dict("records"):
            recs.append({k: _plain(v) for k, v in r.items()})
        return {"per": self.per, "gebied": self.gebied, "periods": list(self.periods), "groups": list(self.groups),
                "min_count": self.min_count, "excluded": dict(self.excluded), "rows": recs}


def _plain(v: Any) -> Any:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    return v.item() if hasattr(v, "item") else v


def monitor_table(
    frames: Frames,
    themes: Sequence[Theme],
    per: str = "jaar",
    gebied: str | None = None,
    *,
    groups: SourceGroups | None = None,
    since: str | None = None,
    until: str | None = None,
    min_count: int = MIN_COUNT,
) -> MonitorTable:
    """Count the signals of every theme per period (and area) by source group.

    Parameters
    ----------
    frames : Frames
        The graph as DataFrames.
    themes : sequence of Theme
        The theme table (:func:`~netwerk.monitor.themes.load_themes`).
    per : {"jaar", "kwartaal"}
        Period length.
    gebied : {"buurt", "wijk"}, optional
        Split every theme by area; signals without an area count under ``onbekend``.
    groups : SourceGroups, optional
        Source → group mapping (default: the built-in table).
    since, until : str, optional
        First and last day (ISO); default the first and the latest signal date in the data.
    min_count : int, default 10
        Minimum count in the previous period for a comparison (see the module docstring).

    Returns
    -------
    MonitorTable
        Every theme appears (with zeros when it has no signals) and every period in the range appears.
    """
    if per not in PERIODS:
        raise ValueError(f"onbekende periode {per!r}; kies uit {', '.join(PERIODS)}")
    if gebied is not None and gebied not in AREAS:
        raise ValueError(f"onbekend gebied {gebied!r}; kies uit {', '.join(AREAS)}")
    if not themes:
        raise ValueError("de themetabel is leeg")
    mapping = groups or load_source_groups()
    sig = frames.signals
    excluded: dict[str, int] = {}
    undated = int(sig["reported_at"].isna().sum())
    if undated:
        excluded["zonder datum"] = undated
    sig = sig[sig["reported_at"].notna()]
    first = pd.Timestamp(since).normalize() if since else (sig["reported_at"].min().normalize() if len(sig) else None)
    last = pd.Timestamp(until).normalize() if until else frames.reference_date
    if first is None:
        first = last
    if first > last:
        raise ValueError(f"periode ongeldig: begin {first.date()} ligt na einde {last.date()}")
    outside = int(((sig["reported_at"] < first) | (sig["reported_at"] >= last + pd.Timedelta(days=1))).sum())
    if outside:
        excluded["buiten de periode"] = outside
    sig = sig[(sig["reported_at"] >= first) & (sig["reported_at"] < last + pd.Timedelta(days=1))]
    freq = PERIODS[per]
    periods = pd.period_range(first.to_period(freq), last.to_period(freq), freq=freq)
    labels = [period_label(p) for p in periods]
    partial = {period_label(p): bool(p.start_time < first or p.end_time.normalize() > last) for p in periods}

    area_col = AREAS.get(gebied or "")
    work = pd.DataFrame({
        "signal_id": sig["signal_id"].to_numpy(),
        "period": [period_label(p) for p in sig["reported_at"].dt.to_period(freq)],
        "group": source_group_of(sig, frames.partners, mapping).to_numpy(),
        "area_code": (wijk_codes(sig) if area_col == "wijk_code" else sig[area_col]).fillna(UNKNOWN_AREA).to_numpy()
        if area_col else "",
    })
    members = theme_members(sig, themes).merge(work, on="signal_id")
    unthemed = int((~sig["signal_id"].isin(members["signal_id"])).sum())
    if unthemed:
        excluded["in geen thema"] = unthemed
    counts = (members.groupby(["theme", "area_code", "period", "group"], dropna=False).size()
              .unstack("group", fill_value=0))
    group_cols = list(mapping.groups)
    for g in counts.columns:
        if g not in group_cols:
            group_cols.append(str(g))
    counts = counts.reindex(columns=group_cols, fill_value=0)

    names = frames.areas.set_index("area_code")["name"].to_dict() if len(frames.areas) else {}
    rows = []
    for theme in themes:
        areas: list[str] = [""]
        if area_col:
            mine = members.loc[members["theme"] == theme.id, "area_code"]
            areas = sorted(set(mine), key=lambda c: (c == UNKNOWN_AREA, str(c))) or [""]
        for area in areas:
            prev_total: int | None = None
            prev_label: str | None = None
            for label in labels:
                key = (theme.id, area, label)
                vals = counts.loc[key].to_dict() if key in counts.index else dict.fromkeys(group_cols, 0)
                total = int(sum(vals.values()))
                row: dict[str, Any] = {
                    "theme": theme.id, "theme_name": theme.name, "priority": theme.priority,
                    "area_code": area or None, "area_name": names.get(area) if area else None, "period": label,
                    **{g: int(vals[g]) for g in group_cols}, "total": total,
                }
                row.update(_compare(prev_total, total, partial[label] or (prev_label is not None
                                                                           and partial[prev_label]), min_count))
                row["partial"] = partial[label]
                rows.append(row)
                prev_total, prev_label = total, label
    df = pd.DataFrame(rows)
    for col in ("previous", "change_abs"):
        df[col] = df[col].astype("Int64")
    return MonitorTable(per, gebied, tuple(labels), tuple(group_cols), df, excluded, min_count)


def _compare(previous: int | None, total: int, partial: bool, min_count: int) -> dict[str, Any]:
    """Change against the previous period, with the comparability rule of the module docstring."""
    if previous is None:
        return {"previous": None, "change_abs": None, "change_rel": None, "comparable": False,
                "beyond_chance": None, "note": "eerste periode"}
    out: dict[str, Any] = {"previous": previous, "change_abs": total - previous,
                           "change_rel": round(total / previous - 1, 4) if previous else None}
    if partial:
        return {**out, "comparable": False, "beyond_chance": None, "note": "onvolledige periode"}
    if previous < min_count:
        return {**out, "comparable": False, "beyond_chance": None, "note": "te weinig meldingen om te vergelijken"}
    p = binomtest(total, total + previous, 0.5).pvalue
    return {**out, "comparable": True, "beyond_chance": bool(p < 0.05), "note": ""}
