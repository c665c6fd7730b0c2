"""Settings of hotspot detection, scoring and fenomeen advice: one frozen dataclass with documented defaults.

Override any field with a YAML or TOML file (``netwerk hotspots --config hotspots.yaml``)::

    window_days: 60
    min_signals: 5
    advice_min_sources: 3
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

__all__ = ["DEFAULT_CONFIG", "HotspotConfig", "load_config"]


@dataclass(frozen=True)
class HotspotConfig:
    """All knobs of :func:`netwerk.hotspots.find_hotspots` (defaults in brackets are documented in docs/hotspots.md).

    Attributes
    ----------
    exclude_domains : tuple
        Domains left out unless asked for with ``domain=`` [overig: waste, roads, green - not overlast].
    period_days : int
        Analysis period when no ``since`` is given: this many days up to the latest date in the data [365].
    window_days : int
        Recurrence window W in days [90].
    min_signals : int
        Address/cluster recurrence: at least N signals within W days [4] ...
    min_days : int
        ... reported on at least K distinct days [3] (a one-day burst never qualifies).
    buurt_min_signals, buurt_min_days : int
        The same rule at buurt level [8 signals, 4 days].
    cluster_radius_m : float
        DBSCAN eps: signals within this distance are neighbours [75 m].
    cluster_min_signals : int
        DBSCAN min_samples: a core location has at least this many signals within the radius [4].
    cluster_unaddressed_only : bool
        Cluster only signals without an address (address hotspots cover the others) [True].
    gi_k : int
        Getis-Ord Gi*: each buurt's neighbours are its k nearest buurten (label points), plus itself [5].
    gi_rate : bool
        Gi* on signals per 100 addresses of the buurt (True) or on raw counts (False) [True].
    alpha : float
        Significance level of every test [0.05].
    trend_days : int
        Trend: the last ``trend_days`` of the period are compared with the mean of earlier windows [90].
    trend_ratio, trend_min_diff : float
        Rising when recent >= ratio x earlier and the difference is at least min_diff signals; falling
        mirrored [1.5, 2].
    knox_distance_m, knox_time_days : tuple
        Near-repeat (Knox) band edges: distance bands (0, d1], (d1, d2], ... and time bands [100/200/400 m;
        7/14/30 days].
    knox_permutations : int
        Monte Carlo permutations of the Knox test [99].
    knox_max_events : int
        At most this many events per domain enter the Knox test (a seeded random sample beyond) [5000].
    seed : int
        Seed of every random step [0].
    advice_levels : tuple
        Levels that can receive fenomeen advice [buurt, cluster].
    advice_min_windows : int
        Fenomeen rule: active in at least this many W-day windows of the period [2] ...
    advice_window_min_days : int
        ... a window counts as active with signals on at least this many distinct days [2].
    advice_min_addresses : int
        Fenomeen rule (buurt level): signals spread over at least this many addresses [3].
    advice_min_sources : int
        Fenomeen rule: at least this many distinct partners/reporters [2].
    advice_min_recent : int
        Fenomeen rule: at least this many signals in the last ``trend_days`` (the overlast still goes on) [1] ...
    advice_allow_falling : bool
        ... and a falling trend does not block the advice [False: a dying-out problem gets no advice].
    advice_need_increase : bool
        Fenomeen rule: require a rising trend or a last window significantly (``alpha``) above the buurt's own
        baseline. Off by default: recurrence is the criterion, an increase strengthens the advice [False].
    max_evidence : int | None
        Cap on evidence ids per hotspot; None keeps all of them [None].
    """

    exclude_domains: tuple[str, ...] = ("overig",)
    period_days: int = 365
    window_days: int = 90
    min_signals: int = 4
    min_days: int = 3
    buurt_min_signals: int = 8
    buurt_min_days: int = 4
    cluster_radius_m: float = 75.0
    cluster_min_signals: int = 4
    cluster_unaddressed_only: bool = True
    gi_k: int = 5
    gi_rate: bool = True
    alpha: float = 0.05
    trend_days: int = 90
    trend_ratio: float = 1.5
    trend_min_diff: float = 2.0
    knox_distance_m: tuple[float, ...] = (100.0, 200.0, 400.0)
    knox_time_days: tuple[float, ...] = (7.0, 14.0, 30.0)
    knox_permutations: int = 99
    knox_max_events: int = 5000
    seed: int = 0
    advice_levels: tuple[str, ...] = ("buurt", "cluster")
    advice_min_windows: int = 2
    advice_window_min_days: int = 2
    advice_min_addresses: int = 3
    advice_min_sources: int = 2
    advice_min_recent: int = 1
    advice_allow_falling: bool = False
    advice_need_increase: bool = False
    max_evidence: int | None = None

    def __post_init__(self) -> None:
        positive = ("period_days", "window_days", "min_signals", "min_days", "buurt_min_signals",
                    "buurt_min_days", "cluster_min_signals", "gi_k", "trend_days", "knox_permutations",
                    "knox_max_events")
        for name in positive:
            if getattr(self, name) < 1:
                raise ValueError(f"hotspot-instelling {name} moet minstens 1 zijn, kreeg {getattr(self, name)}")
        if self.cluster_radius_m <= 0:
            raise ValueError("hotspot-instelling cluster_radius_m moet groter dan 0 zijn")
        if not 0 < self.alpha < 1:
            raise ValueError("hotspot-instelling alpha moet tussen 0 en 1 liggen")
        for name in ("knox_distance_m", "knox_time_days"):
            edges = getattr(self, name)
            if not edges or any(b <= a for a, b in zip((0.0, *edges), edges, strict=False)):
                raise ValueError(f"hotspot-instelling {name} moet oplopende positieve grenzen hebben")
        bad = set(self.advice_levels) - {"address", "cluster", "buurt"}
        if bad:
            raise ValueError(f"hotspot-instelling advice_levels: onbekend niveau {sorted(bad)}")

    def updated(self, **changes: Any) -> HotspotConfig:
        """A copy with some fields changed (unknown names raise ValueError)."""
        known = {f.name: f for f in fields(self)}
        unknown = sorted(set(changes) - set(known))
        if unknown:
            raise ValueError(f"onbekende hotspot-instelling(en): {', '.join(unknown)}; bekend: {', '.join(known)}")
        clean: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
        return replace(self, **clean)


DEFAULT_CONFIG = HotspotConfig()


def load_config(path: str | Path | None) -> HotspotConfig:
    """The defaults overridden by a YAML (``.yaml``/``.yml``) or TOML (``.toml``) file; None gives the defaults."""
    if path is None:
        return DEFAULT_CONFIG
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"instellingenbestand {p} bestaat niet")
    text = p.read_text(encoding="utf-8")
    data = tomllib.loads(text) if p.suffix == ".toml" else yaml.safe_load(text)
    if data is None:
        return DEFAULT_CONFIG
    if not isinstance(data, dict):
        raise ValueError(f"instellingenbestand {p}: verwacht sleutel: waarde-paren")
    data = data.get("hotspots", data)
    return DEFAULT_CONFIG.updated(**data)
