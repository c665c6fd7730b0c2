"""Use case: the agenda of an overleg, with review-aware flags and only what the actor may see."""

from __future__ import annotations

from typing import Any

from netwerk.access import Actor
from netwerk.services.cache import cached, frames
from netwerk.services.common import guarded, read
from netwerk.services.dates import check_date
from netwerk.services.scope import known_persons, redact, scope
from netwerk.store.base import GraphStore

__all__ = ["agenda", "agenda_inputs"]


def agenda_inputs(
    store: GraphStore, skip: bool = False
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Hotspots, review-aware indicator flags and notes for agendas and advice (cached per store version)."""
    from netwerk.cases.inputs import analyses_for

    return cached(store, ("agenda_inputs", skip), lambda: analyses_for(frames(store), skip, store=store))


def agenda(
    store: GraphStore, actor: Actor, overleg: str = "twee-wekelijks", *, date: str | None = None,
    since: str | None = None, interval_days: int | None = None, top: int = 10, skip_analyses: bool = False,
    endpoint: str = "bibliotheek",
) -> dict[str, Any]:
    """The agenda as ``netwerk agenda --format json`` gives it, scoped to the actor's domains."""
    from netwerk.cases import build_agenda, case_frames, load_ladder
    from netwerk.monitor.agenda import with_monitor_sections

    date, since = check_date(date, "date"), check_date(since, "since")
    if top < 0 or top > 1000:
        raise ValueError("top moet tussen 0 en 1000 liggen")
    if interval_days is not None and not 1 <= interval_days <= 3660:
        raise ValueError("interval moet tussen 1 en 3660 dagen liggen")
    with guarded(actor, "agenda", endpoint):
        ladder = load_ladder()
        ladder.overleg(overleg)

        def compute() -> dict[str, Any]:
            hotspots, flags, notes = agenda_inputs(store, skip_analyses)
            result = build_agenda(frames(store), case_frames(store), ladder, overleg, date=date, since=since,
                                  interval_days=interval_days, hotspots=hotspots, flags=flags,
                                  top_hotspots=top, notes=notes)
            return dict(with_monitor_sections(result, store, frames(store), flags).to_dict())

        full = cached(store, ("agenda", overleg, date, since, interval_days, top, skip_analyses), compute)
        shown_agenda, shown = redact(full, actor, scope(store), known_persons(store))
        read(actor, f"agenda:{overleg}", endpoint, sorted(shown), bulk=True)
        return dict(shown_agenda)
