"""One process for the web application and the API: the API app with the pages and their assets (``/assets``) added."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from netwerk.store import GraphStore
from netwerk.web.common import STATIC, LoginNeeded, PageDenied, current_viewer, render
from netwerk.web.pages import PAGE_MODULES

__all__ = ["create_app", "web_router"]

def web_router() -> APIRouter:
    """Every page of the web application (login, overview, map, networks, cases, beheer)."""
    router = APIRouter(include_in_schema=False)
    for module in PAGE_MODULES:
        router.include_router(module.router)

    @router.get("/")
    def home() -> RedirectResponse:
        return RedirectResponse("/overzicht", status_code=303)

    return router


def _page_errors(app: FastAPI) -> None:
    @app.exception_handler(LoginNeeded)
    async def login_needed(request: Request, exc: LoginNeeded) -> Response:
        return RedirectResponse((exc.headers or {}).get("Location", "/inloggen"), status_code=303)

    @app.exception_handler(PageDenied)
    async def page_denied(request: Request, exc: PageDenied) -> HTMLResponse:
        return render(request, "fout.html", current_viewer(request), status_code=403, heading="Geen toegang",
                      message="Uw rol en het doel van deze sessie geven geen toegang tot deze pagina. "
                              "Log opnieuw in met een ander doel als uw werk dat vraagt.")


def create_app(settings: Any = None, store: GraphStore | None = None) -> FastAPI:
    """The API of ``api.main`` plus the web pages and ``/static`` (what ``netwerk serve`` runs)."""
    from api.main import create_app as create_api

    app = create_api(settings, store) if settings is not None or store is not None else create_api()
    app.include_router(web_router())
    app.mount("/assets", StaticFiles(directory=str(STATIC)), name="web-assets")
    _page_errors(app)
    return app
