"""Changes and oversight: review actions, the audit log (privacy officer only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from api.deps import ActorDep, SettingsDep, StoreDep, endpoint_of, require
from api.errors import ERRORS
from api.schemas import AuditEntry, AuditVerify, Identity, PhaseDecision, RevealRequest, ReviewChange
from netwerk import audit
from netwerk.access import AccessDenied, Actor
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


@router.post("/cases/{case_id}/phase")
def case_phase(request: Request, store: StoreDep, actor: ActorDep, case_id: str,
               decision: PhaseDecision) -> dict[str, Any]:
    """Leg een besluit vast om een casus op of af te schalen (wie besluit: de ingelogde gebruiker)."""
    from netwerk.services.cases import change_case_phase

    return change_case_phase(store, actor, case_id, decision.to, reason=decision.reason, date=decision.date,
                             endpoint=endpoint_of(request))


@router.post("/reveal/{person_id}", response_model=Identity)
def reveal(request: Request, store: StoreDep, settings: SettingsDep, actor: ActorDep, person_id: str,
           body: RevealRequest) -> dict[str, Any]:
    """Herleid één persoon uit de identiteitenkluis (rol en doel met recht daarop, met reden; gelogd)."""
    from netwerk.auth.vault import VaultError, open_vault
    from netwerk.services.reveal import reveal as reveal_service

    try:
        vault = open_vault(settings.vault_path, settings.vault_key, settings.vault_key_file)
    except VaultError as exc:
        audit.record(actor, "herleiden", f"Person:{person_id}", endpoint_of(request), "geweigerd", detail=str(exc))
        raise AccessDenied(str(exc)) from exc
    try:
        return reveal_service(store, vault, actor, person_id, body.reason, endpoint=endpoint_of(request))
    except VaultError as exc:
        raise NotFound(str(exc)) from exc


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
