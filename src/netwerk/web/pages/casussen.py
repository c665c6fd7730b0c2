"""Casussen: the ladder phase per case, the agreements with overdue ones marked, escalate / de-escalate
with the ladder's own questions, and the printable agendas of every overleg."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from netwerk import audit
from netwerk.cases import change_phase
from netwerk.cases.ladder import AFGESCHAALD, Ladder
from netwerk.services import agenda as agenda_service
from netwerk.services import cases as case_service
from netwerk.services.common import NotFound
from netwerk.web import data
from netwerk.web.common import Viewer, page_viewer, render, store_of, verify_csrf

router = APIRouter()


def _steps(ladder: Ladder, phase: str) -> dict[str, Any]:
    """The phases one step up and down, each with the ladder's questions (criteria) for that step."""
    out: dict[str, Any] = {}
    if phase in ladder.phase_ids:
        p = ladder.phase(phase)
        up = ladder.up(phase)
        if up:
            ids = list(dict.fromkeys([*p.up_triggers, *p.up_required]))
            out["op"] = {"to": up, "name": ladder.phase(up).name, "text": p.up_text,
                         "questions": [(c, ladder.criterion(c).text, c in p.up_required) for c in ids]}
        down = ladder.down(phase)
        out["af"] = {"to": down, "name": ladder.phase(down).name if down in ladder.phase_ids else "afgeschaald",
                     "text": p.down_text,
                     "questions": [(c, ladder.criterion(c).text, False) for c in p.down_criteria]}
    elif phase == AFGESCHAALD and ladder.phase_ids:
        first = ladder.phase_ids[0]
        out["op"] = {"to": first, "name": ladder.phase(first).name, "text": "", "questions": []}
    return out


@router.get("/casussen")
def cases_page(request: Request, viewer: Annotated[Viewer, page_viewer("casussen")]) -> HTMLResponse:
    store = store_of(request)
    ladder = data.ladder()
    rows = case_service.cases(store, viewer.actor, endpoint="web:/casussen")
    for r in rows:
        r["phase_name"] = ladder.phase(r["phase"]).name if r["phase"] in ladder.phase_ids else r["phase"]
    return render(request, "casussen.html", viewer, "casussen", title="Casussen", cases=rows, ladder=ladder,
                  may_agenda=viewer.actor.may("agenda"))


@router.get("/casussen/agenda")
def agenda_page(request: Request, viewer: Annotated[Viewer, page_viewer("casussen")],
                overleg: str = "twee-wekelijks", datum: str = "") -> HTMLResponse:
    store = store_of(request)
    ladder = data.ladder()
    if overleg not in ladder.overleggen:
        overleg = next(iter(ladder.overleggen))
    try:
        agenda = agenda_service.agenda(store, viewer.actor, overleg, date=datum or None,
                                       endpoint="web:/casussen/agenda")
        error = None
    except (ValueError, PermissionError) as exc:
        agenda, error = None, str(exc)
    return render(request, "agenda.html", viewer, "casussen", title="Agenda", agenda=agenda, error=error,
                  overleggen=ladder.overleggen, overleg=overleg, datum=datum, names=data.place_names(store))


@router.get("/casussen/{case_id}")
def case_page(request: Request, case_id: str, viewer: Annotated[Viewer, page_viewer("casussen")],
              opgeslagen: str | None = None, fout: str | None = None) -> HTMLResponse:
    store = store_of(request)
    try:
        case = case_service.case(store, viewer.actor, case_id, endpoint=f"web:/casussen/{case_id}")
    except NotFound as exc:
        return render(request, "fout.html", viewer, "casussen", status_code=404, heading="Casus niet gevonden",
                      message=str(exc))
    ladder = data.ladder()
    return render(request, "casus.html", viewer, "casussen", title=f"Casus {case_id}", case=case, ladder=ladder,
                  steps=_steps(ladder, case["phase"]) if not case.get("closed_at") else {},
                  saved=opgeslagen, error=fout, names=data.place_names(store))


@router.post("/casussen/{case_id}/fase")
def change(
    request: Request,
    case_id: str,
    viewer: Annotated[Viewer, Depends(verify_csrf)],
    richting: Annotated[str, Form()],
    reden: Annotated[str, Form()] = "",
    criteria: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Scale a case one step up (``op``) or down (``af``), recording the criteria met and who decided."""
    store = store_of(request)
    endpoint = f"web:POST /casussen/{case_id}/fase"
    try:
        case = case_service.case(store, viewer.actor, case_id, endpoint=endpoint)
    except NotFound as exc:
        return render(request, "fout.html", viewer, "casussen", status_code=404, heading="Casus niet gevonden",
                      message=str(exc))
    ladder = data.ladder()
    step = _steps(ladder, case["phase"]).get(richting)
    if step is None:
        return RedirectResponse(f"/casussen/{case_id}?fout=Deze+stap+kan+niet+vanuit+deze+fase", status_code=303)
    try:
        with audit.acting(viewer.actor, quiet=True):
            change_phase(store, ladder, case_id, step["to"], decided_by=viewer.actor.user,
                         reason=reden.strip() or None, criteria=criteria or ())
    except ValueError as exc:
        audit.record(viewer.actor, "wijzigen", f"Case:{case_id}", endpoint, "geweigerd", detail=str(exc))
        return render(request, "fout.html", viewer, "casussen", status_code=422, heading="Fase niet gewijzigd",
                      message=str(exc))
    audit.record(viewer.actor, "wijzigen", f"Case:{case_id}", endpoint,
                 detail=f"fase {case['phase']} → {step['to']}")
    return RedirectResponse(f"/casussen/{case_id}?opgeslagen=1", status_code=303)
