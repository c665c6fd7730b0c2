"""Typed dependencies: the store, the settings and the acting user (from a bearer token or a session).

No credentials → 401. The role comes from the server-side user store; the purpose of a request is
the ``X-Netwerk-Purpose`` header (or the session's purpose). Role headers are not read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.concurrency import run_in_threadpool

from netwerk import audit, durable
from netwerk.access import AccessDenied, Actor
from netwerk.auth import COOKIE_NAME, NotAuthenticated, cached_token_actor, check_csrf, session_actor, token_actor
from netwerk.services.cache import Miss, only_cached
from netwerk.settings import Settings
from netwerk.store import GraphStore

__all__ = ["ActorDep", "SettingsDep", "StoreDep", "answer", "document_credentials", "endpoint_of", "get_actor",
           "require"]

T = TypeVar("T")


async def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def endpoint_of(request: Request) -> str:
    """``GET /network/Person/P-…`` for the audit log."""
    return f"{request.method} {request.scope['path']}"


async def get_actor(request: Request) -> Actor:
    """The caller: a bearer token (API clients) or the web session cookie (with CSRF on writes).

    The headers are read here directly (documented by :func:`document_credentials`): declared as
    parameters, FastAPI would parse and validate them on every request.
    """
    store: GraphStore = request.app.state.store
    store.pin_version()
    headers = request.headers
    authorization, purpose = headers.get("authorization"), headers.get(PURPOSE)
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise NotAuthenticated("gebruik `Authorization: Bearer <token>`")
        known = cached_token_actor(store, token.strip(), purpose)
        if known is not None:
            return known
        return await run_in_threadpool(_token_actor, request, store, token.strip(), purpose)
    return await run_in_threadpool(_session_actor, request, store, headers.get(CSRF))


def _token_actor(request: Request, store: GraphStore, token: str, purpose: str | None) -> Actor:
    try:
        return token_actor(store, token, purpose)
    except NotAuthenticated as exc:
        audit.record(None, "inloggen", "token", endpoint_of(request), "geweigerd", detail=str(exc))
        raise


def _session_actor(request: Request, store: GraphStore, csrf: str | None) -> Actor:
    sid = request.cookies.get(COOKIE_NAME)
    actor = session_actor(store, sid) if sid else None
    if actor is None:
        raise NotAuthenticated("niet ingelogd: geef een bearer-token (`netwerk token create`) of log in")
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        check_csrf(store, sid, csrf)
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]
PURPOSE, CSRF = "x-netwerk-purpose", "x-csrf-token"
_HEADERS = [
    {"name": "X-Netwerk-Purpose", "in": "header", "required": False, "schema": {"type": "string"},
     "description": "Doel (doelbinding) van dit verzoek"},
    {"name": "X-CSRF-Token", "in": "header", "required": False, "schema": {"type": "string"},
     "description": "CSRF-token (alleen bij een sessiecookie, bij wijzigingen)"},
]
_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "`netwerk token create NAAM`"},
    "sessie": {"type": "apiKey", "in": "cookie", "name": COOKIE_NAME, "description": "sessie van de webapplicatie"},
}


def _needs_actor(dependant: Dependant) -> bool:
    return any(d.call is get_actor or _needs_actor(d) for d in dependant.dependencies)


def document_credentials(app: FastAPI, schema: dict[str, Any]) -> dict[str, Any]:
    """Add what :func:`get_actor` reads to the OpenAPI ``schema``: the security schemes and headers."""
    schema.setdefault("components", {})["securitySchemes"] = _SCHEMES
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and route.include_in_schema and _needs_actor(route.dependant):
            for method in context.methods or ():
                operation = schema["paths"][context.path_format][method.lower()]
                operation["security"] = [{"bearer": []}, {"sessie": []}]
                operation.setdefault("parameters", []).extend(_HEADERS)
    return schema


def require(resource: str) -> Callable[..., Awaitable[Actor]]:
    """A dependency: the caller, checked for ``resource`` (a refusal is audited and answered 403)."""

    async def dependency(request: Request, actor: ActorDep) -> Actor:
        try:
            actor.check(resource)
        except AccessDenied as exc:
            await run_in_threadpool(audit.record, actor, "lezen", resource, endpoint_of(request), "geweigerd",
                                    detail=str(exc))
            raise
        return actor

    return dependency


async def answer(fn: Callable[[], T]) -> T:
    """Run a service call on the event loop when it needs only cached results, else in the threadpool.

    On the loop its audit entries are written at once and made durable (group commit) before the answer
    leaves, without blocking the loop. The services record their entries after their cached reads, so
    a miss has recorded nothing yet when the call moves to a worker thread.
    """
    pending: set[Path] = set()
    try:
        with only_cached(), audit.deferred(pending):
            return fn()
    except Miss:
        return await run_in_threadpool(fn)
    finally:
        for path in pending:
            await durable.wait_async(path)
