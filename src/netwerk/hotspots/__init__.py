"""Recurring overlast hotspots (address, cluster, buurt), near-repeat and Gi* statistics, fenomeen advice.

Public API (used by the agenda for the overleggen)::

    from netwerk.hotspots import find_hotspots
    hotspots = find_hotspots(frames, domain="woon", since="2025-01-01")
    [h.to_dict() for h in hotspots]

See docs/hotspots.md for the method, the defaults and the fenomeen rules.
"""

from netwerk.hotspots.advice import Advice, fenomeen_advice
from netwerk.hotspots.clusters import dbscan
from netwerk.hotspots.config import DEFAULT_CONFIG, HotspotConfig, load_config
from netwerk.hotspots.detect import (
    HOTSPOT_COLUMNS,
    HOTSPOT_TABLES,
    LEVELS,
    Hotspot,
    find_hotspots,
    near_repeat,
    select_signals,
)
from netwerk.hotspots.getis import GiStar, distance_band_weights, getis_ord_gi_star, knn_weights
from netwerk.hotspots.nearrepeat import Knox, knox_test
from netwerk.hotspots.recurrence import Recurrence, recurrence
from netwerk.hotspots.trend import Trend, trend

__all__ = [
    "DEFAULT_CONFIG",
    "HOTSPOT_COLUMNS",
    "HOTSPOT_TABLES",
    "LEVELS",
    "Advice",
    "GiStar",
    "Hotspot",
    "HotspotConfig",
    "Knox",
    "Recurrence",
    "Trend",
    "dbscan",
    "distance_band_weights",
    "fenomeen_advice",
    "find_hotspots",
    "getis_ord_gi_star",
    "knn_weights",
    "knox_test",
    "load_config",
    "near_repeat",
    "recurrence",
    "select_signals",
    "trend",
]
