"""Monitoring: signals per priority (theme) and period by source group, with the change against the period
before — the tables of the Uitvoeringsplan Integrale Veiligheid, always with the latest data."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from netwerk.services.monitor import monitoring
from netwerk.web.common import Viewer, page_viewer, render, store_of
from netwerk.web.svg import bar_chart

router = APIRouter()


def theme_summaries(table: Any) -> list[dict[str, Any]]:
    """Per theme: its counts per period (the chart) and the latest period with its change."""
    rows: pd.DataFrame = table.rows
    out = []
    for theme, g in rows.groupby("theme", sort=False):
        per_period = g.groupby("period", sort=False)["total"].sum().reindex(list(table.periods), fill_value=0)
        last = g[g["period"] == table.periods[-1]] if table.periods else g.iloc[0:0]
        rec = last.iloc[0].to_dict() if len(last) == 1 else {}
        out.append({
            "theme": theme, "name": str(g["theme_name"].iloc[0]), "priority": g["priority"].iloc[0],
            "series": [(str(p), int(n)) for p, n in per_period.items()],
            "last": rec, "groups": {grp: int(g[grp].sum()) for grp in table.groups},
        })
    return out


@router.get("/monitoring")
def monitoring_page(
    request: Request, viewer: Annotated[Viewer, page_viewer("monitoring")],
    per: Annotated[str, Query(pattern="^(jaar|kwartaal)$")] = "jaar",
) -> HTMLResponse:
    table = monitoring(store_of(request), viewer.actor, per=per, endpoint="web:/monitoring")
    themes = theme_summaries(table)
    for t in themes:
        t["chart"] = bar_chart(t["series"], f"Meldingen per {per}: {t['name']}")
    return render(request, "monitoring.html", viewer, "monitoring", title="Monitoring", per=per, table=table,
                  themes=themes)
