"""Use case: fenomeen records — list, record an accepted approach for a hotspot, follow its effect.

Aggregate data (areas, counts, signal ids; no persons). The CLI (``netwerk fenomeen``) and the API
(``/fenomeen``) both call this module; recording is a change and is audited with the real caller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from netwerk import audit
from netwerk.access import Actor
from netwerk.services.cache import frames
from netwerk.services.common import NotFound, guarded
from netwerk.store.base import GraphStore

if TYPE_CHECKING:
    from netwerk.fenomeen import FollowResult

__all__ = ["create_fenomeen", "fenomeen_list", "follow"]


def fenomeen_list(store: GraphStore, actor: Actor, *, endpoint: str = "bibliotheek") -> list[dict[str, Any]]:
    """The recorded fenomeen approaches, oldest first."""
    with guarded(actor, "fenomeen", endpoint):
        df = store.nodes_df("Fenomeen")
    rows: list[dict[str, Any]] = df.astype(object).where(df.notna(), None).to_dict("records")
    return sorted(rows, key=lambda r: (str(r.get("created_at") or ""), str(r["fenomeen_id"])))


def create_fenomeen(
    store: GraphStore, actor: Actor, key: str, category: str, *, by: str | None = None, level: str | None = None,
    name: str | None = None, date: str | None = None, domain: str | None = None, since: str | None = None,
    until: str | None = None, config: Any = None, endpoint: str = "bibliotheek",
) -> dict[str, Any]:
    """Record an accepted fenomeen approach for the hotspot ``key`` in ``category`` (``ValueError`` in Dutch
    when there is no such hotspot). Dated ``date``, else today, or the end of the data when it is historical.

    Returns the Fenomeen node with ``areas``, ``signals`` and the hotspot's ``fenomeen_advice``.
    """
    from netwerk.fenomeen import fenomeen_record, save_fenomeen
    from netwerk.hotspots import find_hotspots

    with guarded(actor, "fenomeen", endpoint, f"Fenomeen:{key}"):
        fr = frames(store)
        found = find_hotspots(fr, domain=domain, category=category, since=since, until=until, config=config)
        match = [h for h in found if h.key == key and h.category.lower() == category.lower()
                 and (level is None or h.level == level)]
        if not match:
            keys = ", ".join(sorted({h.key for h in found})[:15])
            raise ValueError(f"geen hotspot {key!r} in categorie {category!r} gevonden; wel: {keys or 'geen'}")
        hotspot = match[0]
        rec = fenomeen_record(hotspot, created_by=by or actor.user, name=name,
                              created_at=pd.Timestamp(date).date() if date else None,
                              reference_date=pd.Timestamp(until) if until else fr.reference_date)
        save_fenomeen(store, rec)
    audit.record(actor, "vastleggen", f"Fenomeen:{rec.fenomeen_id}", endpoint, detail=rec.node.get("name"))
    return {**rec.node, "areas": rec.area_codes, "signals": rec.signal_ids,
            "fenomeen_advice": hotspot.fenomeen_advice, "label": hotspot.label}


def follow(
    store: GraphStore, actor: Actor, fenomeen_id: str, *, months_before: int = 6, endpoint: str = "bibliotheek",
) -> tuple[dict[str, Any], FollowResult]:
    """Is the approach working? The Fenomeen node and its :class:`netwerk.fenomeen.FollowResult` (monthly
    counts before and after the start)."""
    from netwerk.fenomeen import follow_fenomeen, load_fenomeen

    with guarded(actor, "fenomeen", endpoint, f"Fenomeen:{fenomeen_id}"):
        try:
            node, areas, covered = load_fenomeen(store, fenomeen_id)
        except ValueError as exc:
            raise NotFound(str(exc)) from exc
        return node, follow_fenomeen(frames(store), node, areas, covered=len(covered), months_before=months_before)
