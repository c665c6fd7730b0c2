"""Records the overleg keeps: fenomeen approaches and the case matrix (agreements, closing a case)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from api.deps import StoreDep, endpoint_of, require
from api.errors import ERRORS
from api.schemas import AgreementIn, AgreementStatus, CaseClose, FenomeenIn
from netwerk.access import Actor

router = APIRouter(tags=["vastleggen"], responses=ERRORS)
FenomeenActor = Annotated[Actor, Depends(require("fenomeen"))]
CasesActor = Annotated[Actor, Depends(require("cases"))]


@router.get("/fenomeen")
def fenomeen_list(request: Request, store: StoreDep, actor: FenomeenActor) -> list[dict[str, Any]]:
    """De vastgelegde fenomeenaanpakken."""
    from netwerk.services.fenomeen import fenomeen_list as service

    return service(store, actor, endpoint=endpoint_of(request))


@router.post("/fenomeen")
def fenomeen_create(request: Request, store: StoreDep, actor: FenomeenActor, body: FenomeenIn) -> dict[str, Any]:
    """Leg een fenomeenaanpak vast voor een hotspot (besluit van het team; wie: de ingelogde gebruiker)."""
    from netwerk.services.fenomeen import create_fenomeen

    return create_fenomeen(store, actor, body.key, body.category, by=body.by, level=body.level, name=body.name,
                           date=body.date, domain=body.domain, since=body.since, until=body.until,
                           endpoint=endpoint_of(request))


@router.get("/fenomeen/{fenomeen_id}/volgen")
def fenomeen_follow(request: Request, store: StoreDep, actor: FenomeenActor, fenomeen_id: str,
                    months_before: Annotated[int, Query(ge=1, le=60)] = 6) -> dict[str, Any]:
    """Werkt de aanpak? Meldingen per maand in het gebied, vóór en na de start."""
    from netwerk.services.fenomeen import follow

    node, result = follow(store, actor, fenomeen_id, months_before=months_before, endpoint=endpoint_of(request))
    return {"fenomeen": node, **result.to_dict()}


@router.post("/cases/{case_id}/afspraken")
def case_agreement(request: Request, store: StoreDep, actor: CasesActor, case_id: str,
                   body: AgreementIn) -> dict[str, Any]:
    """Voeg een afspraak toe aan de matrix van een casus (wat, eigenaar-partner, vervaldatum)."""
    from netwerk.services.cases import add_case_agreement

    return add_case_agreement(store, actor, case_id, what=body.what, owner=body.owner, due_date=body.due_date,
                              endpoint=endpoint_of(request))


@router.post("/afspraken/{agreement_id}")
def agreement_status(request: Request, store: StoreDep, actor: CasesActor, agreement_id: str,
                     body: AgreementStatus) -> dict[str, Any]:
    """Zet de status van een afspraak (open, gereed, vervallen)."""
    from netwerk.services.cases import set_agreement_status

    return set_agreement_status(store, actor, agreement_id, body.status, endpoint=endpoint_of(request))


@router.post("/cases/{case_id}/sluiten")
def case_close(request: Request, store: StoreDep, actor: CasesActor, case_id: str, body: CaseClose) -> dict[str, Any]:
    """Sluit een casus met het besluit in de tijdlijn (wie besluit: de ingelogde gebruiker)."""
    from netwerk.services.cases import close_case_decision

    return close_case_decision(store, actor, case_id, reason=body.reason, date=body.date,
                               endpoint=endpoint_of(request))
