"""Mensenhandel and ondermijning indicators along the barrier model, each flag with its evidence.

Public API: :func:`run_indicators` (all flags) and :func:`rank_subjects` (the explainable ranking,
the JSON list of ``netwerk indicators``). Every indicator lives in its own module and is registered
in :data:`REGISTRY` in run order; docs/indicators.md documents each one. They read only
:data:`INDICATOR_TABLES` and :data:`INDICATOR_COLUMNS` (``Frames.from_store(tables=..., columns=...)``).
"""

from __future__ import annotations

from collections.abc import Sequence

from netwerk.frames import Frames, period
from netwerk.indicators import clustering, facilitator, labour, overcrowding, strawmen, turnover, youth
from netwerk.indicators.base import BARRIERS, REGISTRY, Context, Evidence, Flag, Indicator, evidence_hash
from netwerk.indicators.config import IndicatorConfig, load_config
from netwerk.indicators.data import INDICATOR_COLUMNS, INDICATOR_TABLES
from netwerk.indicators.ranking import rank_flags, rank_subjects

__all__ = [
    "BARRIERS",
    "INDICATOR_COLUMNS",
    "INDICATOR_TABLES",
    "REGISTRY",
    "Evidence",
    "Flag",
    "Indicator",
    "IndicatorConfig",
    "evidence_hash",
    "load_config",
    "rank_flags",
    "rank_subjects",
    "run_indicators",
]

_MODULES = (overcrowding, turnover, labour, strawmen, clustering, facilitator, youth)
#: Run order: facilitator and youth links use the flags of the indicators before them.
ORDER = ("overcrowding", "turnover", "labour_dependency", "straw_men", "signal_cluster", "facilitator", "youth_links")
for _name in ORDER:  # re-insert in run order (import order differs)
    REGISTRY[_name] = REGISTRY.pop(_name)
DEFAULT_DAYS = 365


def run_indicators(
    frames: Frames,
    *,
    since: str | None = None,
    until: str | None = None,
    config: IndicatorConfig | None = None,
    indicators: Sequence[str] | None = None,
) -> list[Flag]:
    """Run the indicator library over the frames.

    Parameters
    ----------
    frames : Frames
        The graph as DataFrames (either backend).
    since, until : str, optional
        Period (ISO dates, ``until`` inclusive). Default: the 365 days up to the latest date in the
        data; look-back windows of single indicators (turnover, straw men, clustering) end at
        ``until`` and start at ``since`` when given.
    config : IndicatorConfig, optional
        Thresholds, risk sectors and weights (defaults: :class:`IndicatorConfig`).
    indicators : sequence of str, optional
        Only these indicators (names in :data:`REGISTRY`); dependent ones see only earlier flags.

    Returns
    -------
    list of Flag
        Sorted by indicator (run order), subject type and id. Signals for investigation, no verdicts.

    Examples
    --------
    >>> import pandas as pd
    >>> f = Frames.from_tables({
    ...     "addresses": pd.DataFrame({"address_id": ["a1"], "purpose": ["woonfunctie"], "floor_area_m2": [50.0]}),
    ...     "persons": pd.DataFrame({"person_id": [f"p{i}" for i in range(6)], "birth_year": [1990] * 6}),
    ...     "registrations": pd.DataFrame({"person_id": [f"p{i}" for i in range(6)], "address_id": "a1",
    ...                                    "start_date": "2025-01-01"}),
    ...     "signals": pd.DataFrame({"signal_id": ["s1"], "reported_at": ["2025-06-01"]}),
    ... })
    >>> [(fl.indicator, fl.subject_id, fl.value) for fl in run_indicators(f)]
    [('overcrowding', 'a1', 6.0)]
    """
    cfg = config or IndicatorConfig()
    names = list(REGISTRY) if indicators is None else list(indicators)
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        raise ValueError(f"onbekende indicator(en): {', '.join(unknown)}; bekend: {', '.join(REGISTRY)}")
    start, end = period(frames, since, until, DEFAULT_DAYS)
    ctx = Context(start=start, end=end, config=cfg, since_given=since is not None)
    for name in REGISTRY:
        if name in names:
            ctx.flags.extend(REGISTRY[name].func(frames, ctx))
    order = {n: i for i, n in enumerate(REGISTRY)}
    return sorted(ctx.flags, key=lambda f: (order[f.indicator], f.subject_type, f.subject_id))
