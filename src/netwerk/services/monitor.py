"""Use case: monitoring per priority (aggregate counts per theme, period and source group; no persons)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from netwerk.access import Actor
from netwerk.services.cache import cached, frames
from netwerk.services.common import guarded
from netwerk.store.base import GraphStore

if TYPE_CHECKING:
    from netwerk.monitor.monitor import MonitorTable

__all__ = ["monitoring"]


def monitoring(
    store: GraphStore, actor: Actor, *, per: str = "jaar", gebied: str | None = None, since: str | None = None,
    until: str | None = None, endpoint: str = "bibliotheek",
) -> MonitorTable:
    """The theme table of ``netwerk monitor`` (default themes and source groups), cached per store version."""
    from netwerk.monitor.monitor import monitor_table
    from netwerk.monitor.themes import load_themes

    with guarded(actor, "monitor", endpoint):
        return cached(store, ("monitor", per, gebied, since, until),
                      lambda: monitor_table(frames(store), load_themes(), per, gebied, since=since, until=until))
