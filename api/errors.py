"""One error format for every refusal and failure, with a Dutch message.

``{"detail": "<Dutch message>", "status": 403, "code": "geen_toegang", "fields": [...]}``: ``detail`` is
always a string; ``fields`` lists invalid request fields (422).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from netwerk.access import AccessDenied
from netwerk.auth import CsrfRefused, NotAuthenticated
from netwerk.model import ModelError
from netwerk.services.common import NotFound, TooLarge
from netwerk.store import StoreError

__all__ = ["ERRORS", "ErrorBody", "FieldError", "error_response", "install"]

CODES = {400: "ongeldig_verzoek", 401: "niet_ingelogd", 403: "geen_toegang", 404: "niet_gevonden",
         405: "methode_niet_toegestaan", 413: "te_groot", 422: "ongeldige_invoer", 429: "te_veel_verzoeken",
         500: "serverfout", 504: "time_out"}
_DUTCH = {404: "niet gevonden", 405: "deze methode is hier niet toegestaan", 401: "niet ingelogd",
          400: "ongeldig verzoek"}


class FieldError(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    """Every error: a Dutch message, the HTTP status, a stable code and (422) the fields at fault."""

    detail: str
    status: int
    code: str
    fields: list[FieldError] = []


#: the OpenAPI ``responses`` every protected route documents
ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorBody, "description": d}
    for s, d in ((401, "Niet ingelogd"), (403, "Geen toegang voor deze rol en dit doel"),
                 (404, "Niet gevonden"), (422, "Ongeldige invoer"), (429, "Te veel verzoeken"))
}


def error_response(status: int, detail: str, fields: list[FieldError] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(detail=detail, status=status, code=CODES.get(status, "fout"), fields=fields or [])
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _field(loc: Any) -> str:
    return ".".join(str(x) for x in loc if x not in ("query", "path", "header", "body")) or "verzoek"


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into :class:`ErrorBody`."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [FieldError(field=_field(e.get("loc", ())), message=str(e.get("msg", ""))) for e in exc.errors()]
        names = ", ".join(f.field for f in fields)
        return error_response(422, f"ongeldige invoer in {names}", fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if detail in ("Not Found", "Method Not Allowed", "Not authenticated", "Bad Request"):
            detail = _DUTCH.get(exc.status_code, detail)
        return error_response(exc.status_code, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(NotAuthenticated)
    async def _unauth(_: Request, exc: NotAuthenticated) -> JSONResponse:
        return error_response(401, str(exc), headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(AccessDenied)
    async def _denied(_: Request, exc: AccessDenied) -> JSONResponse:
        return error_response(403, str(exc))

    @app.exception_handler(CsrfRefused)
    async def _csrf(_: Request, exc: CsrfRefused) -> JSONResponse:
        return error_response(403, str(exc))

    @app.exception_handler(NotFound)
    async def _missing(_: Request, exc: NotFound) -> JSONResponse:
        return error_response(404, str(exc))

    @app.exception_handler(TooLarge)
    async def _large(_: Request, exc: TooLarge) -> JSONResponse:
        return error_response(422, str(exc))

    @app.exception_handler(ValueError)
    async def _value(_: Request, exc: ValueError) -> JSONResponse:
        if isinstance(exc, ModelError):
            return error_response(404, str(exc))
        return error_response(422, str(exc))

    @app.exception_handler(StoreError)
    async def _store(_: Request, exc: StoreError) -> JSONResponse:
        return error_response(404, str(exc))
