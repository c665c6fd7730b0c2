"""Overzicht: what needs attention now, each item a link to its detail page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from netwerk.services import cases as case_service
from netwerk.services import hotspots as hotspot_service
from netwerk.services import indicators as indicator_service
from netwerk.web import data
from netwerk.web.common import Viewer, page_viewer, render, store_of

router = APIRouter()

TOP = 5


def _alerts(store: Any) -> list[dict[str, Any]]:
    """Watch-list alerts (``Alert`` nodes written by the monitoring module), newest first."""
    df = store.nodes_df("Alert")
    if df.empty:
        return []
    rows: list[dict[str, Any]] = df.sort_values("reported_at", ascending=False).head(TOP).to_dict("records")
    return rows


@router.get("/overzicht")
def overview(request: Request, viewer: Annotated[Viewer, page_viewer("overzicht")]) -> HTMLResponse:
    store = store_of(request)
    ctx: dict[str, Any] = {"names": data.place_names(store)}
    if viewer.may("kaart"):
        since, day, new = data.new_signals(store)
        ctx.update(since=since, day=day, n_new=len(new), new_by_domain=new["domain"].value_counts().to_dict())
        found = hotspot_service.hotspots(store, viewer.actor, endpoint="web:/overzicht")
        ctx["top_hotspots"] = found[:TOP]
        ctx["advice"] = [h for h in found if h["fenomeen_advice"]]
    if viewer.may("ondermijning"):
        # places only: no person-level data on the dashboard
        open_items = [d for subject in ("address", "business")
                      for d in indicator_service.indicators(store, viewer.actor, subject, endpoint="web:/overzicht")
                      if d.get("review_status") in (None, "nieuw", "in onderzoek")]
        open_items.sort(key=lambda d: -d["score"])
        ctx["n_open_reviews"] = len(open_items)
        ctx["open_reviews"] = open_items[:TOP]
    if viewer.may("casussen"):
        cs = case_service.cases(store, viewer.actor, endpoint="web:/overzicht")
        ctx["overdue_cases"] = [c for c in cs if c.get("overdue_agreements")]
        ctx["n_cases"] = len(cs)
        if viewer.actor.may("waak") and viewer.actor.sees(frozenset({"openbare_orde", "woon"})):
            ctx["alerts"] = _alerts(store)
    if viewer.may("monitoring"):
        from netwerk.services.monitor import monitoring
        from netwerk.web.pages.monitoring import theme_summaries

        table = monitoring(store, viewer.actor, per="jaar", endpoint="web:/overzicht")
        ctx["monitor_period"] = table.periods[-1] if table.periods else None
        ctx["monitor"] = theme_summaries(table)
    return render(request, "overzicht.html", viewer, "overzicht", title="Overzicht", **ctx)
