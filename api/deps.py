"""Typed dependencies: the store (opened once per app) and the caller's role and purpose."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from netwerk.access import AccessDenied, check_access
from netwerk.store import GraphStore


def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


StoreDep = Annotated[GraphStore, Depends(get_store)]


def require(resource: str) -> Callable[..., None]:
    """A dependency that checks role and purpose for ``resource`` (403 with a Dutch reason)."""

    def dependency(
        x_netwerk_role: Annotated[str, Header()] = "analist",
        x_netwerk_purpose: Annotated[str, Header()] = "analyse",
    ) -> None:
        try:
            check_access(x_netwerk_role, x_netwerk_purpose, resource)
        except AccessDenied as exc:
            raise HTTPException(status_code=403, detail=str(exc)) from exc

    return dependency
