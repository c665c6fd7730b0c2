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

__all__ = ["SUBJECTS", "indicators", "ranked", "review_aware_flags", "with_controles"]

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


def with_controles(subjects: list[dict[str, Any]], controles: pd.DataFrame, frames_: Frames) -> list[dict[str, Any]]:
    """Each address or business with the integrale controles recorded on it (``netwerk controle add``) as
    evidence beside its indicators: date, partners, findings and outcome, oldest first."""
    from netwerk.monitor.controles import controle_frame

    table = controle_frame(controles, frames_)
    if table.empty:
        return subjects
    fields = ["controle_id", "date", "partners", "findings", "outcome"]
    by_address = {k: g for k, g in table.groupby("address_id")}
    by_business = {k: g for k, g in table[table["subject_type"] == "business"].groupby("subject_id")}
    out = []
    for item in subjects:
        found = (by_address if item["subject_type"] == "address" else by_business).get(item["subject_id"])
        if item["subject_type"] in ("address", "business") and found is not None:
            rows = found[fields].assign(date=found["date"].dt.date.astype(str))
            item = {**item, "controles": rows.to_dict("records")}
        out.append(item)
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
                        lambda: with_controles(
                            ranked(frames(store), subject, store.nodes_df("ReviewItem"), since=since, until=until,
                                   config=config, include_dismissed=include_dismissed, top=top),
                            store.nodes_df("Controle"), frames(store)))
        shown_list, shown = redact(result, actor, scope(store), known_persons(store))
        read(actor, f"indicators:{subject}", endpoint, sorted(shown), bulk=True)
        return list(shown_list)
