"""Typed dependencies: the store, the settings and the acting user (from a bearer token or a session).

No credentials → 401. The role comes from the server-side user store; the purpose of a request is
the ``X-Netwerk-Purpose`` header (or the session's purpose). Role headers are not read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Request

from netwerk import audit
from netwerk.access import AccessDenied, Actor
from netwerk.auth import COOKIE_NAME, NotAuthenticated, check_csrf, session_actor, token_actor
from netwerk.settings import Settings
from netwerk.store import GraphStore

__all__ = ["ActorDep", "SettingsDep", "StoreDep", "endpoint_of", "get_actor", "require"]


def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def endpoint_of(request: Request) -> str:
    """``GET /network/Person/P-…`` for the audit log."""
    return f"{request.method} {request.url.path}"


def get_actor(
    request: Request,
    store: StoreDep,
    authorization: Annotated[str | None, Header(description="Bearer-token: `Bearer nw_…`")] = None,
    x_netwerk_purpose: Annotated[str | None, Header(description="Doel (doelbinding) van dit verzoek")] = None,
    x_csrf_token: Annotated[str | None, Header(description="CSRF-token (alleen bij een sessiecookie)")] = None,
) -> Actor:
    """The caller: a bearer token (API clients) or the web session cookie (with CSRF on writes)."""
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise NotAuthenticated("gebruik `Authorization: Bearer <token>`")
        try:
            return token_actor(store, token.strip(), x_netwerk_purpose)
        except NotAuthenticated as exc:
            audit.record(None, "inloggen", "token", endpoint_of(request), "geweigerd", detail=str(exc))
            raise
    sid = request.cookies.get(COOKIE_NAME)
    actor = session_actor(store, sid) if sid else None
    if actor is None:
        raise NotAuthenticated("niet ingelogd: geef een bearer-token (`netwerk token create`) of log in")
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        check_csrf(store, sid, x_csrf_token)
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]


def require(resource: str) -> Callable[..., Actor]:
    """A dependency: the caller, checked for ``resource`` (a refusal is audited and answered 403)."""

    def dependency(request: Request, actor: ActorDep) -> Actor:
        try:
            actor.check(resource)
        except AccessDenied as exc:
            audit.record(actor, "lezen", resource, endpoint_of(request), "geweigerd", detail=str(exc))
            raise
        return actor

    return dependency
