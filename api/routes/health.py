"""Liveness (no credentials) and store counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from api.deps import StoreDep, require
from api.errors import ERRORS
from api.schemas import Health, Stats
from netwerk import __version__
from netwerk.access import Actor

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
async def health(store: StoreDep) -> Health:
    """Leeft de dienst? (geen inlog nodig; geen gegevens). Draait op de event loop, niet in de threadpool:
    ook onder zware last blijft het antwoord snel."""
    return Health(status="ok", version=__version__, store=store.kind)


@router.get("/stats", response_model=Stats, responses=ERRORS)
def stats(store: StoreDep, actor: Annotated[Actor, Depends(require("stats"))]) -> Stats:
    """Aantallen knopen en relaties per soort (zonder de toegangsgegevens)."""
    counts = store.counts()
    hidden = ("User", "ApiToken", "Session")
    return Stats(nodes={k: v for k, v in counts["nodes"].items() if k not in hidden},
                 relationships=counts["relationships"])
