"""The Cypher patterns in ``cypher/patterns/`` (one per graph indicator) and their parameters.

Each pattern returns the same subjects as its Python indicator on the same data (tested on real
Neo4j); :func:`pattern_params` derives the ``$parameters`` from the period and the config exactly as
the indicators do, so an adviser can paste them in Neo4j Browser (``:param``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from netwerk import cypher
from netwerk.frames import Frames, period
from netwerk.indicators.base import Context, Flag
from netwerk.indicators.clustering import cluster_terms
from netwerk.indicators.config import IndicatorConfig
from netwerk.indicators.data import iso
from netwerk.indicators.facilitator import ADDRESS_INDICATORS, BUSINESS_INDICATORS

__all__ = ["PATTERNS", "pattern_params", "run_pattern"]

#: Indicator name -> pattern file (cypher/patterns/<name>.cypher).
PATTERNS = ("overcrowding", "turnover", "labour_dependency", "straw_men", "signal_cluster", "facilitator")


def pattern_params(
    frames: Frames,
    *,
    since: str | None = None,
    until: str | None = None,
    config: IndicatorConfig | None = None,
    flags: Sequence[Flag] = (),
) -> dict[str, Any]:
    """All ``$parameters`` of the patterns for a period and config (``flags`` give the flagged sets
    of ``facilitator.cypher``)."""
    from netwerk.indicators import DEFAULT_DAYS

    cfg = config or IndicatorConfig()
    start, end = period(frames, since, until, DEFAULT_DAYS)
    ctx = Context(start=start, end=end, config=cfg, since_given=since is not None)
    return {
        "since": iso(start),
        "until": iso(end),
        "adult_year": int(end.year - cfg.adult_age),
        "min_adults": cfg.min_adults,
        "max_m2_per_adult": float(cfg.max_m2_per_adult),
        "min_adults_logies": cfg.min_adults_logies,
        "max_m2_per_adult_logies": float(cfg.max_m2_per_adult_logies),
        "min_adults_no_area": cfg.min_adults_no_area,
        "window_start": iso(ctx.window_start(cfg.turnover_days)),
        "short_stay_days": cfg.short_stay_days,
        "min_short_stays": cfg.min_short_stays,
        "min_coworkers": cfg.min_coworkers,
        "legit_worker_share": float(cfg.legit_worker_share),
        "risk_sectors": sorted(cfg.risk_sectors),
        "min_dependent_adults": cfg.min_dependent_adults,
        "min_dependent_adults_other": cfg.min_dependent_adults_other,
        "straw_window_start": iso(ctx.window_start(cfg.straw_window_days)),
        "min_straw_changes": cfg.min_straw_changes,
        "cluster_window_start": iso(ctx.window_start(cfg.cluster_days)),
        "subcategories": cluster_terms(cfg),
        "min_cluster_signals": cfg.min_cluster_signals,
        "min_facilitator_links": cfg.min_facilitator_links,
        "flagged_businesses": sorted(
            {f.subject_id for f in flags if f.subject_type == "business" and f.indicator in BUSINESS_INDICATORS}
        ),
        "flagged_addresses": sorted(
            {f.subject_id for f in flags if f.subject_type == "address" and f.indicator in ADDRESS_INDICATORS}
        ),
    }


_WINDOW = {"straw_men": "straw_window_start", "signal_cluster": "cluster_window_start"}


def run_pattern(store: Any, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Run ``cypher/patterns/<name>.cypher`` on a Neo4j store (``Neo4jStore``) with the parameters
    of :func:`pattern_params`; returns the result rows."""
    if name not in PATTERNS:
        raise ValueError(f"onbekend patroon {name!r}; bekend: {', '.join(PATTERNS)}")
    if getattr(store, "kind", None) != "neo4j":
        raise ValueError("Cypher-patronen draaien alleen op Neo4j (--store bolt://...)")
    query = cypher.split_statements(cypher.load(f"patterns/{name}"))[0]
    p = dict(params)
    if name in _WINDOW:
        p["window_start"] = p[_WINDOW[name]]

    return list(store.query(query, p))
