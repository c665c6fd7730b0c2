"""The analyses over HTTP: the same library functions, and the same JSON fields, as the CLI."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query

from api.deps import StoreDep, require
from netwerk.frames import Frames
from netwerk.model import ModelError
from netwerk.store import StoreError

router = APIRouter(tags=["analyses"])

Since = Annotated[str | None, Query(description="Begin van de periode (JJJJ-MM-DD)")]
Until = Annotated[str | None, Query(description="Einde van de periode (JJJJ-MM-DD), inclusief")]


def _frames(store: StoreDep) -> Frames:
    return Frames.from_store(store)


FramesDep = Annotated[Frames, Depends(_frames)]


@router.get("/hotspots", dependencies=[Depends(require("hotspots"))])
def hotspots(
    frames: FramesDep, domain: str | None = None, category: str | None = None, since: Since = None, until: Until = None
) -> list[dict[str, Any]]:
    """Recurring overlast hotspots (address, cluster, buurt), ranked, with evidence and fenomeen advice."""
    from netwerk.hotspots import find_hotspots

    try:
        found = find_hotspots(frames, domain=domain, category=category, since=since, until=until)
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    return [h.to_dict() for h in found]


@router.get("/groups", dependencies=[Depends(require("groups"))])
def groups(
    frames: FramesDep, since: Since = None, until: Until = None, min_age: int = 12, max_age: int = 24
) -> list[dict[str, Any]]:
    """Youth groups for the risicojongeren overleg (hints for professionals, never verdicts)."""
    from netwerk.youth import analyse_groups

    try:
        return analyse_groups(frames, since=since, until=until, min_age=min_age, max_age=max_age)
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc


@router.get("/indicators", dependencies=[Depends(require("indicators"))])
def indicators(
    frames: FramesDep,
    subject: Literal["address", "person", "business"] = "address",
    since: Since = None,
    until: Until = None,
    top: int | None = None,
) -> list[dict[str, Any]]:
    """Mensenhandel/ondermijning signals per subject; every score decomposes into indicators with evidence."""
    from netwerk.indicators import rank_subjects

    try:
        return rank_subjects(frames, subject, since=since, until=until, top=top)
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc


@router.get("/agenda", dependencies=[Depends(require("agenda"))])
def agenda(store: StoreDep, frames: FramesDep, overleg: str = "twee-wekelijks", date: str | None = None) -> Any:
    """The agenda of an overleg (twee-wekelijks, gio, politie) as JSON."""
    from netwerk.cases import build_agenda, case_frames, load_ladder
    from netwerk.cases.inputs import analyses_for

    try:
        hotspots, flags, notes = analyses_for(frames)
        result = build_agenda(frames, case_frames(store), load_ladder(), overleg, date=date,
                              hotspots=hotspots, flags=flags, notes=notes)
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    return result.to_dict()


@router.get("/network/{label}/{key}", dependencies=[Depends(require("cases"))])
def network(
    store: StoreDep, label: str, key: str, depth: Annotated[int, Query(ge=1, le=3)] = 1,
    since: Since = None, until: Until = None,
) -> dict[str, Any]:
    """The neighbourhood of one node (person-level reads are audited)."""
    try:
        g = store.neighbourhood(label, key, depth=depth, since=since, until=until)
    except (ModelError, StoreError) as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc
    return {
        "nodes": [{"id": n, **d} for n, d in g.nodes(data=True)],
        "edges": [{"source": a, "target": b, **d} for a, b, d in g.edges(data=True)],
    }
