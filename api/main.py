"""The app factory: the store is opened once in the lifespan and kept on ``app.state``."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.routes import analyses, health
from api.settings import Settings
from netwerk import __version__
from netwerk.store import GraphStore, open_store


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
        try:
            yield
        finally:
            if store is None:
                app.state.store.close()

    app = FastAPI(title="netwerk", version=__version__, lifespan=lifespan,
                  description="Netwerkanalyse voor integrale veiligheid")
    app.include_router(health.router)
    app.include_router(analyses.router)
    return app


app = create_app()
