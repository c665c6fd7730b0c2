"""Use case: cases (casussen) on the escalation ladder, only those of the actor's domains."""

from __future__ import annotations

from typing import Any

from netwerk.access import Actor
from netwerk.services.cache import cached, frames
from netwerk.services.common import NotFound, guarded, read
from netwerk.services.scope import known_persons, redact, scope
from netwerk.store.base import GraphStore

__all__ = ["case", "cases", "change_case_phase"]


def _plain(rec: dict[str, Any]) -> dict[str, Any]:
    import pandas as pd

    out = {}
    for k, v in rec.items():
        if isinstance(v, pd.Timestamp):
            v = v.date().isoformat()
        elif v is not None and not isinstance(v, list | dict | str) and pd.isna(v):
            v = None
        elif hasattr(v, "item"):
            v = v.item()
        out[str(k)] = v
    return out


def cases(store: GraphStore, actor: Actor, *, include_closed: bool = False,
          endpoint: str = "bibliotheek") -> list[dict[str, Any]]:
    """One row per case (``netwerk cases list``) of the domains the actor sees."""
    from netwerk.cases import case_frames, list_cases, load_ladder
    from netwerk.cases.advice import as_of_day

    with guarded(actor, "cases", endpoint):
        def compute() -> list[dict[str, Any]]:
            fr, cf = frames(store), case_frames(store)
            df = list_cases(fr.cases, cf, load_ladder(), as_of_day(fr, cf, None), include_closed=include_closed)
            return [_plain(r) for r in df.to_dict("records")]

        rows = cached(store, ("cases", include_closed), compute)
        return [r for r in rows if str(r.get("domain") or "overig") in actor.domains]


def case(store: GraphStore, actor: Actor, case_id: str, *, endpoint: str = "bibliotheek") -> dict[str, Any]:
    """Everything about one case (``netwerk cases show``), persons scoped; one audit entry."""
    from netwerk.cases import load_ladder, show_case

    with guarded(actor, "cases", endpoint, f"Case:{case_id}"):
        sc = scope(store)
        if case_id not in sc.cases or sc.cases[case_id] not in actor.domains:
            raise NotFound(f"casus {case_id!r} bestaat niet of valt buiten uw rol en doel")
        full = show_case(store, load_ladder(), case_id)
        shown_case, shown = redact(full, actor, sc, known_persons(store))
        read(actor, f"Case:{case_id}", endpoint, sorted(shown))
        return dict(shown_case)


def change_case_phase(store: GraphStore, actor: Actor, case_id: str, to_phase: str, *, reason: str | None = None,
                      date: str | None = None, endpoint: str = "bibliotheek") -> dict[str, Any]:
    """Record a phase decision on a case the actor may see (``decided_by`` is the actor); audited."""
    from netwerk import audit
    from netwerk.cases import load_ladder
    from netwerk.cases.ops import change_phase

    with guarded(actor, "cases", endpoint, f"Case:{case_id}"):
        sc = scope(store)
        if case_id not in sc.cases or sc.cases[case_id] not in actor.domains:
            raise NotFound(f"casus {case_id!r} bestaat niet of valt buiten uw rol en doel")
        change = change_phase(store, load_ladder(), case_id, to_phase, decided_by=actor.user, reason=reason,
                              date=date)
    audit.record(actor, "wijzigen", f"Case:{case_id}", endpoint, detail=f"fase → {to_phase}")
    return _plain(change)
