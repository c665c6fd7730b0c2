"""Ondermijning: ranked addresses, persons and businesses; per subject the score by indicator with its
evidence and a timeline; review actions (status, note, assignee) in the same workflow as the CLI."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from netwerk import audit
from netwerk.indicators.ranking import DISCLAIMER
from netwerk.review import STATUSES, get_review, review_id, set_review, sync_reviews
from netwerk.services import indicators as indicator_service
from netwerk.store import GraphStore, StoreError
from netwerk.web import data
from netwerk.web.common import Viewer, page_viewer, render, store_of, verify_csrf

router = APIRouter()

SUBJECTS = {"address": "Adressen", "person": "Personen", "business": "Bedrijven"}
BARRIERS = {"entree": "entree", "huisvesting": "huisvesting", "identiteit": "identiteit", "werk": "werk",
            "financien": "financiën"}


def _subject(subject: str) -> str:
    return subject if subject in SUBJECTS else "address"


@router.get("/ondermijning")
def ranking_page(request: Request, viewer: Annotated[Viewer, page_viewer("ondermijning")],
                 onderwerp: str = "address") -> HTMLResponse:
    store = store_of(request)
    subject = _subject(onderwerp)
    ranked = indicator_service.indicators(store, viewer.actor, subject, endpoint="web:/ondermijning")
    reviews = store.nodes_df("ReviewItem")
    assignee = dict(zip(reviews["review_id"], reviews["assignee"], strict=True)) if "assignee" in reviews else {}
    return render(request, "ondermijning.html", viewer, "ondermijning", title="Ondermijning", ranked=ranked,
                  subject=subject, subjects=SUBJECTS, names=data.place_names(store), disclaimer=DISCLAIMER,
                  assignee={k: v for k, v in assignee.items() if isinstance(v, str)})


def _find(store: GraphStore, viewer: Viewer, subject: str, sid: str) -> dict[str, Any] | None:
    ranked = indicator_service.indicators(store, viewer.actor, subject, include_dismissed=True,
                                          endpoint=f"web:/ondermijning/{subject}/{sid}")
    return next((d for d in ranked if d["subject_id"] == sid), None)


def _timeline(store: GraphStore, item: dict[str, Any]) -> list[dict[str, str]]:
    """Dated evidence of one subject: signals, registrations and business roles, oldest first."""
    fr = data.frames(store)
    events: list[dict[str, str]] = []
    sids: set[str] = set()
    for ind in item["indicators"]:
        ev = ind.get("evidence") or {}
        sids |= set(ev.get("signals") or [])
        for r in ev.get("registrations") or []:
            events.append({"date": str(r.get("start_date") or "")[:10], "what": "inschrijving",
                           "text": f"{r.get('person_id')} ingeschreven op {r.get('address_id')}"
                                   + (f" tot {str(r['end_date'])[:10]}" if r.get("end_date") else ""),
                           "indicator": ind["name"]})
        for r in ev.get("roles") or []:
            events.append({"date": str(r.get("start_date") or "")[:10], "what": "rol",
                           "text": f"{r.get('person_id')}: {r.get('role')} bij {r.get('business_id')}",
                           "indicator": ind["name"]})
    sig = fr.signals[fr.signals["signal_id"].isin(sids)]
    for r in sig.itertuples():
        events.append({"date": str(r.reported_at)[:10], "what": "melding", "text": f"{r.signal_id}: {r.category}",
                       "indicator": ""})
    return sorted(events, key=lambda e: (e["date"], e["what"], e["text"]))


@router.get("/ondermijning/{subject}/{sid}")
def subject_page(request: Request, subject: str, sid: str,
                 viewer: Annotated[Viewer, page_viewer("ondermijning")], opgeslagen: str | None = None) -> HTMLResponse:
    store = store_of(request)
    subject = _subject(subject)
    item = _find(store, viewer, subject, sid)
    if item is None:
        return render(request, "fout.html", viewer, "ondermijning", status_code=404, heading="Niet gevonden",
                      message=f"{sid} staat niet (meer) op de lijst of valt buiten uw rol en doel.")
    try:
        review = get_review(store, review_id(subject, sid))
    except StoreError:
        review = None
    timeline = _timeline(store, item)
    months = pd.Series([e["date"][:7] for e in timeline if e["date"]]).value_counts().sort_index()
    return render(request, "onderwerp.html", viewer, "ondermijning", title=f"Ondermijning {sid}", item=item,
                  subject=subject, subjects=SUBJECTS, names=data.place_names(store), review=review,
                  statuses=STATUSES, timeline=timeline, months=list(months.items()), barriers=BARRIERS,
                  saved=opgeslagen, may_review=viewer.actor.may("review"), disclaimer=DISCLAIMER)


@router.post("/ondermijning/{subject}/{sid}/beoordeling")
def set_status(
    request: Request,
    subject: str,
    sid: str,
    viewer: Annotated[Viewer, Depends(verify_csrf)],
    status: Annotated[str, Form()] = "",
    notitie: Annotated[str, Form()] = "",
    toegewezen: Annotated[str, Form()] = "",
) -> Response:
    """Status, note and assignee of a subject's review item (the workflow of ``netwerk review``)."""
    store = store_of(request)
    subject = _subject(subject)
    endpoint = f"web:POST /ondermijning/{subject}/{sid}/beoordeling"
    if not viewer.actor.may("review"):
        audit.record(viewer.actor, "wijzigen", f"ReviewItem:{subject}:{sid}", endpoint, "geweigerd")
        return render(request, "fout.html", viewer, "ondermijning", status_code=403, heading="Geen toegang",
                      message="Uw rol of doel staat het beoordelen van signalen niet toe.")
    item = _find(store, viewer, subject, sid)
    if item is None:
        return render(request, "fout.html", viewer, "ondermijning", status_code=404, heading="Niet gevonden",
                      message=f"{sid} staat niet op de lijst of valt buiten uw rol en doel.")
    rid = review_id(subject, sid)
    with audit.acting(viewer.actor, quiet=True):
        try:
            current = get_review(store, rid)
        except StoreError:
            sync_reviews(store, [item])
            current = get_review(store, rid)
        note = notitie.strip()
        who = toegewezen.strip()
        if who and who != (current.get("assignee") or ""):
            note = "; ".join(filter(None, [note, f"toegewezen aan {who}"]))
            store.upsert_nodes("ReviewItem", [{"review_id": rid, "assignee": who}])
        new_status = status if status in STATUSES and status != current.get("status") else None
        if new_status or note:
            set_review(store, rid, status=new_status, note=note or None)
    audit.record(viewer.actor, "wijzigen", f"ReviewItem:{rid}", endpoint,
                 detail=", ".join(filter(None, [f"status {new_status}" if new_status else "",
                                                "notitie" if notitie.strip() else "",
                                                f"toegewezen {who}" if who else ""])) or "geen wijziging")
    return RedirectResponse(f"/ondermijning/{subject}/{sid}?opgeslagen=1", status_code=303)
