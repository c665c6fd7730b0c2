"""Changes and oversight: review actions, the audit log (privacy officer only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from api.deps import StoreDep, endpoint_of, require
from api.errors import ERRORS
from api.schemas import AuditEntry, AuditVerify, ReviewChange
from netwerk import audit
from netwerk.access import Actor
from netwerk.services.common import NotFound

router = APIRouter(tags=["acties"], responses=ERRORS)


@router.post("/review/{review_id}")
def review(
    request: Request, store: StoreDep, actor: Annotated[Actor, Depends(require("review"))], review_id: str,
    change: ReviewChange,
) -> dict[str, Any]:
    """Wijzig de status van een beoordeling (nieuw, in onderzoek, bevestigd, afgewezen) en/of voeg een notitie toe."""
    from netwerk.review import get_review, set_review
    from netwerk.store import StoreError

    with audit.acting(actor, quiet=True):
        try:
            get_review(store, review_id)
        except StoreError as exc:
            raise NotFound(str(exc)) from exc
        item = set_review(store, review_id, status=change.status, note=change.note)
    audit.record(actor, "wijzigen", f"ReviewItem:{review_id}", endpoint_of(request),
                 detail=f"status {change.status}" if change.status else "notitie")
    return item


@router.get("/audit", response_model=list[AuditEntry])
def audit_list(
    request: Request, actor: Annotated[Actor, Depends(require("audit"))],
    limit: Annotated[int, Query(ge=1, le=500)] = 100, offset: Annotated[int, Query(ge=0)] = 0,
    user: Annotated[str | None, Query(max_length=64)] = None,
) -> list[dict[str, Any]]:
    """Het auditlog (alleen de privacy officer), nieuwste eerst."""
    entries = [e for e in audit.read_entries() if user is None or e.get("user") == user]
    audit.record(actor, "lezen", "auditlog", endpoint_of(request), n=len(entries))
    return list(reversed(entries))[offset:offset + limit]


@router.get("/audit/verify", response_model=AuditVerify)
def audit_verify(request: Request, actor: Annotated[Actor, Depends(require("audit"))]) -> AuditVerify:
    """Controleer de hashketen van het auditlog."""
    result = audit.verify()
    return AuditVerify(ok=result.ok, entries=result.entries, problems=list(result.problems))
