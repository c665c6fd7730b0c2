"""What a hotspot analysis looked at and what it left out, so that nothing vanishes silently."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from netwerk.frames import Frames, period
from netwerk.hotspots.config import DEFAULT_CONFIG, HotspotConfig
from netwerk.hotspots.detect import UNKNOWN_DOMAIN

__all__ = ["Selection", "describe_selection", "why_none"]

_EXCLUDE_REASON = {
    "overig": "bewust als 'overig' ingedeeld (bijv. afval, wegen, groen): geen overlast",
}


@dataclass(frozen=True)
class Selection:
    """The signals behind one hotspot analysis.

    Attributes
    ----------
    start, end : Timestamp
        The analysis period.
    data_first, data_last : Timestamp or None
        The first and last date in the data.
    n_total : int
        Signals with a date and a category in the data.
    n_period : int
        Of those, in the period.
    n_selected : int
        Of those, analysed (after the domain, category and exclusion filters).
    n_unknown_domain : int
        Analysed signals of domain ``onbekend`` (a category nobody mapped): included and shown.
    excluded : list of dict
        Per left-out domain: ``domain``, ``n_signals``, ``reason`` and ``include_with`` (the option that brings
        them back).
    """

    start: pd.Timestamp
    end: pd.Timestamp
    data_first: pd.Timestamp | None
    data_last: pd.Timestamp | None
    n_total: int
    n_period: int
    n_selected: int
    n_unknown_domain: int
    excluded: list[dict[str, Any]] = field(default_factory=list)

    @property
    def n_excluded(self) -> int:
        return sum(int(e["n_signals"]) for e in self.excluded)

    def to_dict(self) -> dict[str, Any]:
        return {"start": _day(self.start), "end": _day(self.end), "data_first": _day(self.data_first),
                "data_last": _day(self.data_last), "n_total": self.n_total, "n_period": self.n_period,
                "n_selected": self.n_selected, "n_unknown_domain": self.n_unknown_domain,
                "n_excluded": self.n_excluded, "excluded": [dict(e) for e in self.excluded]}

    def excluded_lines(self) -> list[str]:
        """One Dutch line per left-out domain (empty when nothing was left out)."""
        return [f"{e['n_signals']} meldingen in domein '{e['domain']}' weggelaten ({e['reason']}); "
                f"neem ze mee met {e['include_with']}." for e in self.excluded]


def _day(ts: pd.Timestamp | None) -> str | None:
    return None if ts is None or pd.isna(ts) else f"{ts:%Y-%m-%d}"


def describe_selection(
    frames: Frames,
    *,
    domain: str | None = None,
    category: str | None = None,
    since: str | None = None,
    until: str | None = None,
    config: HotspotConfig = DEFAULT_CONFIG,
) -> Selection:
    """Count what :func:`netwerk.hotspots.find_hotspots` with the same arguments analyses and leaves out.

    Examples
    --------
    >>> sig = pd.DataFrame({"signal_id": ["a", "b", "c"], "reported_at": pd.to_datetime(["2025-01-02"] * 3),
    ...                     "category": ["Afval", "Overlast", "Iets"], "domain": ["overig", "woon", None]})
    >>> s = describe_selection(Frames.from_tables({"signals": sig}))
    >>> s.n_selected, s.n_unknown_domain, s.n_excluded
    (2, 1, 1)
    """
    sig = frames.signals
    sig = sig[sig["reported_at"].notna() & sig["category"].notna()]
    start, end = period(frames, since, until, config.period_days)
    dom = sig["domain"].fillna(UNKNOWN_DOMAIN).astype(str)
    inside = (sig["reported_at"] >= start) & (sig["reported_at"] <= end)
    excluded: list[dict[str, Any]] = []
    keep = inside
    if domain:
        keep = keep & (dom == domain)
    elif not category and config.exclude_domains:
        left = dom[inside & dom.isin(config.exclude_domains)].value_counts().sort_index()
        excluded = [{"domain": str(d), "n_signals": int(n),
                     "reason": _EXCLUDE_REASON.get(str(d), "uitgesloten in de instellingen (exclude_domains)"),
                     "include_with": f"--domain {d}"} for d, n in left.items()]
        keep = keep & ~dom.isin(config.exclude_domains)
    if category:
        want = category.strip().lower()
        keep = keep & ((sig["category"].astype(str).str.lower() == want)
                       | (sig["subcategory"].astype(str).str.lower() == want))
    t = sig["reported_at"]
    return Selection(
        start=start, end=end, data_first=t.min() if len(t) else None, data_last=t.max() if len(t) else None,
        n_total=len(sig), n_period=int(inside.sum()), n_selected=int(keep.sum()),
        n_unknown_domain=int((keep & (dom == UNKNOWN_DOMAIN)).sum()), excluded=excluded,
    )


def why_none(sel: Selection, config: HotspotConfig = DEFAULT_CONFIG) -> str:
    """Why an analysis found no hotspots, in Dutch, with what to try next."""
    if sel.n_total == 0:
        return "De opslag bevat geen meldingen met datum en categorie; lees eerst gegevens in met `netwerk ingest`."
    if sel.n_period == 0:
        return (f"Geen meldingen in de periode {_day(sel.start)} t/m {_day(sel.end)}; de gegevens lopen van "
                f"{_day(sel.data_first)} t/m {_day(sel.data_last)} (kies een periode met --since en --until).")
    if sel.n_selected == 0:
        extra = " ".join(sel.excluded_lines())
        return (f"Alle {sel.n_period} meldingen in de periode vallen buiten de selectie (domein/categorie). "
                + extra).strip()
    return (f"{sel.n_selected} meldingen bekeken, maar geen plek haalt de drempel: minstens {config.min_signals} "
            f"meldingen binnen {config.window_days} dagen op {config.min_days} verschillende dagen per adres of "
            f"cluster, {config.buurt_min_signals} op {config.buurt_min_days} dagen per buurt (en significant). "
            "Kies een langere periode (--since) of andere drempels (--config).")
