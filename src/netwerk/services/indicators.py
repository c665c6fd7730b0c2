"""Use case: mensenhandel/ondermijning indicators WITH their review state, applied here once.

The CLI (``netwerk indicators``), the API (``/indicators``) and the agendas all call this module, so a
dismissed flag (``afgewezen`` with unchanged evidence) stays dismissed everywhere.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from netwerk.access import Actor
from netwerk.frames import Frames
from netwerk.services.cache import cached, frames
from netwerk.services.common import guarded, read
from netwerk.services.scope import known_persons, redact, scope
from netwerk.store.base import GraphStore

__all__ = ["SUBJECTS", "indicators", "ranked", "review_aware_flags"]

SUBJECTS = ("address", "person", "business")


def ranked(
    frames_: Frames, subject: str, reviews: pd.DataFrame | None, *, since: str | None = None,
    until: str | None = None, config: Any = None, include_dismissed: bool = False, top: int | None = None,
) -> list[dict[str, Any]]:
    """The ranking of one subject type with the review state applied (the one place that does it)."""
    from netwerk.indicators import rank_subjects

    if subject not in SUBJECTS:
        raise ValueError(f"onbekend onderwerp {subject!r}; kies uit {', '.join(SUBJECTS)}")
    return rank_subjects(frames_, subject, since=since, until=until, config=config, reviews=reviews,
                         include_dismissed=include_dismissed, top=top)


def review_aware_flags(frames_: Frames, reviews: pd.DataFrame | None, **kwargs: Any) -> list[dict[str, Any]]:
    """Ranked flags of every subject type, dismissed ones left out (input of advice and agendas)."""
    out: list[dict[str, Any]] = []
    for subject in SUBJECTS:
        out += ranked(frames_, subject, reviews, **kwargs)
    return out


def indicators(
    store: GraphStore, actor: Actor, subject: str = "address", *, since: str | None = None,
    until: str | None = None, top: int | None = None, include_dismissed: bool = False, config: Any = None,
    config_key: str | None = None, endpoint: str = "bibliotheek",
) -> list[dict[str, Any]]:
    """The explainable ranking for ``actor`` (``netwerk indicators --format json``), cached per store version.

    ``config_key`` names the configuration in the cache key (e.g. its file path).
    """
    if top is not None and top < 1:
        raise ValueError(f"top moet minstens 1 zijn, kreeg {top}")
    config_key = config_key or (None if config is None else repr(config))
    with guarded(actor, "indicators", endpoint):
        result = cached(store, ("indicators", subject, since, until, top, include_dismissed, config_key),
                        lambda: ranked(frames(store), subject, store.nodes_df("ReviewItem"), since=since,
                                       until=until, config=config, include_dismissed=include_dismissed, top=top))
        shown_list, shown = redact(result, actor, scope(store), known_persons(store))
        read(actor, f"indicators:{subject}", endpoint, sorted(shown), bulk=True)
        return list(shown_list)
