"""Use case: recurring overlast hotspots (aggregate: no person-level data)."""

from __future__ import annotations

from typing import Any

from netwerk.access import Actor
from netwerk.services.cache import cached, frames
from netwerk.services.common import guarded
from netwerk.store.base import GraphStore

__all__ = ["hotspots"]


def hotspots(
    store: GraphStore, actor: Actor, *, domain: str | None = None, category: str | None = None,
    since: str | None = None, until: str | None = None, endpoint: str = "bibliotheek",
) -> list[dict[str, Any]]:
    """Ranked hotspots as ``netwerk hotspots --format json`` gives them (cached per store version)."""
    from netwerk.hotspots import find_hotspots

    with guarded(actor, "hotspots", endpoint):
        return cached(store, ("hotspots", domain, category, since, until), lambda: [
            h.to_dict() for h in find_hotspots(frames(store), domain=domain, category=category, since=since,
                                               until=until)])
