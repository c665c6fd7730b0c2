"""What every page shares: templates, the logged-in viewer, the page check and the CSRF check."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from netwerk import auth
from netwerk.access import Actor
from netwerk.store import GraphStore
from netwerk.web import security
from netwerk.web.security import PAGES, PURPOSE_TEXT

__all__ = ["COOKIE", "STATIC", "Viewer", "page_viewer", "render", "store_of", "templates", "verify_csrf"]

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
COOKIE = auth.COOKIE_NAME
#: the pages load only what the app serves itself: no CDN, no inline script or style
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
templates = Jinja2Templates(directory=str(HERE / "templates"))


def _place(h: Any, names: dict[str, str]) -> str:
    """A hotspot's readable place: the buurt or address name, or the cluster's own label."""
    key = str(h.get("key"))
    if key in names:
        return names[key]
    return f"Cluster {h['label']}" if h.get("label") else key


#: hotspot trends in Dutch
TREND = {"rising": "stijgend", "falling": "dalend", "stable": "stabiel"}
templates.env.globals.update(PURPOSE_TEXT=PURPOSE_TEXT, TREND=TREND, plek=_place)
templates.env.filters["nl_getal"] = lambda v, d=0: (f"{v:,.{d}f}".replace(",", "_").replace(".", ",")
                                                    .replace("_", ".")) if v is not None else "–"
templates.env.filters["datum"] = lambda v: (str(v)[8:10] + "-" + str(v)[5:7] + "-" + str(v)[:4]) if v else "–"


class LoginNeeded(HTTPException):
    """No (live) session: the page sends the browser to the login page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(status_code=303, headers={"Location": f"/inloggen?volgende={quote(next_url)}"})


class PageDenied(HTTPException):
    """The viewer's role or purpose does not open this page (rendered as a Dutch 403 page)."""

    def __init__(self, page: str) -> None:
        super().__init__(status_code=403, detail=page)


@dataclass(frozen=True)
class Viewer:
    """The logged-in actor, their CSRF token and the pages they may open."""

    actor: Actor
    csrf: str
    session_id: str

    @property
    def pages(self) -> list[tuple[str, str]]:
        return [(pid, title) for pid, (title, _) in PAGES.items() if security.allowed(self.actor, pid)]

    def may(self, page: str) -> bool:
        return security.allowed(self.actor, page)


def store_of(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


def current_viewer(request: Request) -> Viewer:
    sid = request.cookies.get(COOKIE)
    store = store_of(request)
    actor = auth.session_actor(store, sid) if sid else None
    if actor is None or sid is None:
        raise LoginNeeded(str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""))
    return Viewer(actor, auth.session_csrf(store, sid), sid)


def page_viewer(page: str) -> Any:
    """A dependency: the viewer, when their role and purpose open ``page`` (else a 403 page)."""

    def dependency(viewer: Annotated[Viewer, Depends(current_viewer)]) -> Viewer:
        if not viewer.may(page):
            raise PageDenied(page)
        return viewer

    return Depends(dependency)


def verify_csrf(request: Request, csrf: Annotated[str, Form()] = "") -> Viewer:
    """A dependency for every POST: a live session and the form's CSRF token matching it."""
    viewer = current_viewer(request)
    auth.check_csrf(store_of(request), viewer.session_id, csrf)  # CsrfRefused → 403
    return viewer


def render(request: Request, template: str, viewer: Viewer | None, page: str | None = None,
           status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page from ``templates/`` with the viewer, the navigation and the current page."""
    response = templates.TemplateResponse(request, template, {"viewer": viewer, "page": page, **context},
                                          status_code=status_code)
    response.headers["Content-Security-Policy"] = CSP
    return response
