"""Use case: cases (casussen) on the escalation ladder, only those of the actor's domains."""

from __future__ import annotations

from typing import Any

from netwerk.access import Actor
from netwerk.dating import record_date
from netwerk.services.cache import cached, frames
from netwerk.services.common import NotFound, guarded, read
from netwerk.services.scope import known_persons, redact, scope
from netwerk.store.base import GraphStore

__all__ = ["add_case_agreement", "case", "cases", "change_case_phase", "close_case_decision", "set_agreement_status"]


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


def _visible_case(store: GraphStore, actor: Actor, case_id: str) -> None:
    sc = scope(store)
    if case_id not in sc.cases or sc.cases[case_id] not in actor.domains:
        raise NotFound(f"casus {case_id!r} bestaat niet of valt buiten uw rol en doel")


def add_case_agreement(store: GraphStore, actor: Actor, case_id: str, *, what: str, owner: str, due_date: str,
                       endpoint: str = "bibliotheek") -> dict[str, Any]:
    """Add an agreement (what, owner partner, due date) to a case the actor may see; audited."""
    from netwerk import audit
    from netwerk.cases import load_ladder
    from netwerk.cases.ops import add_agreement

    with guarded(actor, "cases", endpoint, f"Case:{case_id}"):
        _visible_case(store, actor, case_id)
        row = add_agreement(store, load_ladder(), case_id, what=what, owner=owner, due_date=due_date,
                            created_at=record_date(frames(store).reference_date).isoformat())
    audit.record(actor, "wijzigen", f"Case:{case_id}", endpoint, detail=f"afspraak {row['agreement_id']}")
    return _plain(row)


def set_agreement_status(store: GraphStore, actor: Actor, agreement_id: str, status: str, *,
                         endpoint: str = "bibliotheek") -> dict[str, Any]:
    """Set an agreement's status (open, gereed, vervallen) on a case the actor may see; audited."""
    from netwerk import audit
    from netwerk.cases.ops import update_agreement

    with guarded(actor, "cases", endpoint, f"Agreement:{agreement_id}"):
        links = store.relationships_df("HAS_AGREEMENT")
        owner = links.loc[links["end"] == agreement_id, "start"]
        if owner.empty:
            raise NotFound(f"afspraak {agreement_id!r} bestaat niet")
        _visible_case(store, actor, str(owner.iloc[0]))
        row = update_agreement(store, agreement_id, status)
    audit.record(actor, "wijzigen", f"Agreement:{agreement_id}", endpoint, detail=f"status {status}")
    return _plain(row)


def close_case_decision(store: GraphStore, actor: Actor, case_id: str, *, reason: str, date: str | None = None,
                        endpoint: str = "bibliotheek") -> dict[str, Any]:
    """Close a case the actor may see (``decided_by`` is the actor), dated at the end of historical data."""
    from netwerk import audit
    from netwerk.cases import load_ladder
    from netwerk.cases.ops import close_case

    with guarded(actor, "cases", endpoint, f"Case:{case_id}"):
        _visible_case(store, actor, case_id)
        when = date or record_date(frames(store).reference_date).isoformat()
        change = close_case(store, load_ladder(), case_id, decided_by=actor.user, reason=reason, date=when)
    audit.record(actor, "wijzigen", f"Case:{case_id}", endpoint, detail="gesloten")
    return _plain(change)
