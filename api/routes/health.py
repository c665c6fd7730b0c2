"""Liveness and store counts."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from api.deps import StoreDep, require
from netwerk import __version__

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str
    store: str


class Stats(BaseModel):
    nodes: dict[str, int]
    relationships: dict[str, int]


@router.get("/health", response_model=Health)
def health(store: StoreDep) -> Health:
    return Health(status="ok", version=__version__, store=store.kind)


@router.get("/stats", response_model=Stats, dependencies=[Depends(require("stats"))])
def stats(store: StoreDep) -> Stats:
    return Stats(**store.counts())
