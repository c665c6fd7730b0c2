"""The app factory: settings read once, the store opened once in the lifespan and kept on ``app.state``.

Every route except ``/health`` needs credentials (bearer token or web session); see docs/beveiliging.md.
"""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api import deps, errors, middleware
from api.routes import actions, analyses, export, health, records
from netwerk import __version__
from netwerk.services import cache
from netwerk.settings import Settings
from netwerk.store import GraphStore, open_store

STATIC = Path(__file__).resolve().parent / "static"
#: Python's cyclic GC less often than its default (700, 10, 10): with the analysis caches in memory a full
#: collection walks millions of objects, and under load those pauses were the ego network's p95/p99 tail
#: (p95 206 -> 123 ms, p99 357 -> 160 ms at 50 clients); reference counting still frees the rest at once
GC_THRESHOLD = (100_000, 50, 100)
#: FastAPI's OpenTelemetry off: no request paths (with pseudonyms) leave the process, and no per-request check
NO_TELEMETRY: Any = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False}


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the API. Pass ``store`` to serve an already open store (tests)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        for name in ("user", "password", "database"):
            value = getattr(settings, f"neo4j_{name}")
            if value:
                os.environ.setdefault(f"NETWERK_NEO4J_{name.upper()}", value)
        app.state.store = store or open_store(settings.store)
        gc.set_threshold(*GC_THRESHOLD)
        try:
            yield
        finally:
            if store is None:
                app.state.store.close()

    app = FastAPI(title="netwerk", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  telemetry=NO_TELEMETRY,
                  description="Netwerkanalyse voor integrale veiligheid. Inloggen met `Authorization: Bearer …` "
                              "(`netwerk token create`); doel in `X-Netwerk-Purpose`.")
    app.state.settings = settings
    cache.ttl(settings.cache_ttl_s, settings.cache_entries)
    errors.install(app)
    middleware.install(app, settings)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="netwerk API",
                                   swagger_js_url="/static/swagger/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger/swagger-ui.css", swagger_favicon_url="")

    app.include_router(health.router)
    app.include_router(analyses.router)
    app.include_router(actions.router)
    app.include_router(export.router)
    app.include_router(records.router)

    def openapi() -> dict[str, Any]:
        return app.openapi_schema or deps.document_credentials(app, FastAPI.openapi(app))

    app.openapi = openapi  # type: ignore[method-assign]
    return app


app = create_app()
