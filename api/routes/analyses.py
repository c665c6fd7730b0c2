"""The use cases over HTTP: each route calls one service with the caller as actor (same JSON as the CLI)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Query, Request, Response
from fastapi.encoders import jsonable_encoder

from api.deps import ActorDep, StoreDep, answer, endpoint_of
from api.errors import ERRORS
from api.schemas import Agenda, CaseRow, Group, Hotspot, IndicatorSubject, Network, SearchHit
from netwerk.services import agenda as agenda_service
from netwerk.services import cases as cases_service
from netwerk.services import groups as groups_service
from netwerk.services import hotspots as hotspots_service
from netwerk.services import indicators as indicators_service
from netwerk.services import network as network_service
from netwerk.services.cache import cached

router = APIRouter(tags=["analyses"], responses=ERRORS)
T = TypeVar("T")

Since = Annotated[str | None, Query(description="Begin van de periode (JJJJ-MM-DD)", max_length=10)]
Until = Annotated[str | None, Query(description="Einde van de periode (JJJJ-MM-DD), inclusief", max_length=10)]
Limit = Annotated[int, Query(ge=1, le=500, description="Hoogstens zoveel resultaten (pagina)")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Sla zoveel resultaten over")]


def _dates(*values: str | None) -> None:
    from netwerk.services.dates import check_date

    for v in values:
        check_date(v, "periode")


def page(items: list[T], limit: int, offset: int, response: Response) -> list[T]:
    """One page of ``items``; the total in ``X-Total-Count``."""
    response.headers["X-Total-Count"] = str(len(items))
    return items[offset:offset + limit]


@router.get("/hotspots", response_model=list[Hotspot])
async def hotspots(
    request: Request, response: Response, store: StoreDep, actor: ActorDep,
    domain: Annotated[str | None, Query(max_length=40)] = None,
    category: Annotated[str | None, Query(max_length=200)] = None,
    since: Since = None, until: Until = None, limit: Limit = 100, offset: Offset = 0,
) -> Any:
    """Terugkerende overlast-hotspots (adres, cluster, buurt), gerangschikt, met bewijs en fenomeenadvies."""
    _dates(since, until)

    def encoded() -> tuple[bytes, int]:
        found = hotspots_service.hotspots(store, actor, domain=domain, category=category, since=since,
                                          until=until, endpoint=endpoint_of(request))
        # aggregate and the same for every caller: the encoded page is cached per store version
        return cached(store, ("hotspots-json", domain, category, since, until, limit, offset), lambda: (
            json.dumps(jsonable_encoder(found[offset:offset + limit]), ensure_ascii=False).encode(), len(found)))

    body, total = await answer(encoded)
    return Response(body, media_type="application/json", headers={"X-Total-Count": str(total)})


@router.get("/groups", response_model=list[Group])
def groups(
    request: Request, response: Response, store: StoreDep, actor: ActorDep, since: Since = None,
    until: Until = None, min_age: Annotated[int, Query(ge=0, le=120)] = 12,
    max_age: Annotated[int, Query(ge=0, le=120)] = 24, limit: Limit = 100, offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Jeugdgroepen voor het risicojongerenoverleg (aanwijzingen voor professionals, geen oordeel)."""
    _dates(since, until)
    found = groups_service.groups(store, actor, since=since, until=until, min_age=min_age, max_age=max_age,
                                  endpoint=endpoint_of(request))
    return page(found, limit, offset, response)


@router.get("/indicators", response_model=list[IndicatorSubject])
def indicators(
    request: Request, response: Response, store: StoreDep, actor: ActorDep,
    subject: Literal["address", "person", "business"] = "address", since: Since = None, until: Until = None,
    top: Annotated[int | None, Query(ge=1, le=10_000)] = None, limit: Limit = 100, offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Signalen mensenhandel/ondermijning per onderwerp, met beoordelingsstatus (afgewezen blijft weg)."""
    _dates(since, until)
    found = indicators_service.indicators(store, actor, subject, since=since, until=until, top=top,
                                          endpoint=endpoint_of(request))
    return page(found, limit, offset, response)


@router.get("/agenda", response_model=Agenda)
def agenda(
    request: Request, store: StoreDep, actor: ActorDep,
    overleg: Annotated[str, Query(max_length=60)] = "twee-wekelijks",
    date: Annotated[str | None, Query(max_length=10, description="Datum van het overleg (JJJJ-MM-DD)")] = None,
    top: Annotated[int, Query(ge=0, le=1000)] = 10,
) -> dict[str, Any]:
    """De agenda van een overleg (twee-wekelijks, gio, politie)."""
    return agenda_service.agenda(store, actor, overleg, date=date, top=top, endpoint=endpoint_of(request))


@router.get("/cases", response_model=list[CaseRow])
def cases(
    request: Request, response: Response, store: StoreDep, actor: ActorDep, include_closed: bool = False,
    limit: Limit = 100, offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Casussen op de escalatieladder (alleen die van de domeinen van uw rol en doel)."""
    found = cases_service.cases(store, actor, include_closed=include_closed, endpoint=endpoint_of(request))
    return page(found, limit, offset, response)


@router.get("/cases/{case_id}")
def case(request: Request, store: StoreDep, actor: ActorDep, case_id: str) -> dict[str, Any]:
    """Alles over één casus: fase, rollen, koppelingen, tijdlijn en afsprakenmatrix."""
    return cases_service.case(store, actor, case_id, endpoint=endpoint_of(request))


@router.get("/network/path", response_model=Network)
def network_path(
    request: Request, store: StoreDep, actor: ActorDep,
    source: Annotated[str, Query(max_length=200, description="Label:sleutel, bv. Person:P-…")],
    target: Annotated[str, Query(max_length=200, description="Label:sleutel")],
    max_length: Annotated[int, Query(ge=1, le=8)] = 6,
) -> dict[str, Any]:
    """De kortste keten van verbindingen tussen twee onderwerpen, alleen via wat u mag zien."""
    return network_service.path(store, actor, source, target, max_length=max_length,
                                endpoint=endpoint_of(request)).to_dict()


@router.get("/network/{label}/{key}", response_model=Network)
async def network(
    request: Request, store: StoreDep, actor: ActorDep, label: str, key: str,
    depth: Annotated[int, Query(ge=1, le=3)] = 1, since: Since = None, until: Until = None,
) -> Response:
    """De omgeving van één knoop; verborgen knopen worden niet getoond en niet doorlopen."""
    _dates(since, until)
    net = await answer(lambda: network_service.ego(store, actor, label, key, depth=depth, since=since, until=until,
                                                   endpoint=endpoint_of(request)))
    return Response(net.encoded, media_type="application/json")


@router.get("/search", response_model=list[SearchHit])
def search(
    request: Request, store: StoreDep, actor: ActorDep,
    q: Annotated[str, Query(min_length=2, max_length=100, description="Pseudoniem, straat of postcode")],
    limit: Limit = 50,
) -> list[dict[str, Any]]:
    """Zoek personen op pseudoniem en adressen op straat of postcode."""
    return network_service.search(store, actor, q, limit=limit, endpoint=endpoint_of(request))

