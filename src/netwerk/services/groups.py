"""Use case: youth groups for the risicojongeren overleg (members are jeugd-domain persons)."""

from __future__ import annotations

from typing import Any

from netwerk.access import Actor
from netwerk.services.cache import cached, frames
from netwerk.services.common import guarded, read
from netwerk.services.scope import known_persons, redact, scope
from netwerk.store.base import GraphStore

__all__ = ["groups"]


def groups(
    store: GraphStore, actor: Actor, *, since: str | None = None, until: str | None = None,
    min_age: int = 12, max_age: int = 24, endpoint: str = "bibliotheek",
) -> list[dict[str, Any]]:
    """Youth groups with only the persons visible to the actor; one bulk audit entry naming them."""
    from netwerk.youth import analyse_groups

    if not 0 <= min_age <= max_age <= 120:
        raise ValueError(f"leeftijden ongeldig: min_age {min_age}, max_age {max_age} (0 ≤ min ≤ max ≤ 120)")
    with guarded(actor, "groups", endpoint):
        found = cached(store, ("groups", since, until, min_age, max_age), lambda: analyse_groups(
            frames(store), since=since, until=until, min_age=min_age, max_age=max_age))
        shown_groups, shown = redact(found, actor, scope(store), known_persons(store))
        out = [g for g in shown_groups if g.get("members")]
        read(actor, "groups", endpoint, sorted(shown), bulk=True)
        return out
