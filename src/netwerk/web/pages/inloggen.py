"""Inloggen with the purpose of the session (doelbinding), and uitloggen."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from netwerk import audit, auth
from netwerk.web.common import Viewer, render, store_of, verify_csrf
from netwerk.web.security import PURPOSE_TEXT, purpose_choices

router = APIRouter()


def _safe_next(url: str | None) -> str:
    """Only a path on this site (no open redirect)."""
    return url if url and url.startswith("/") and not url.startswith("//") else "/overzicht"


def _form(request: Request, next_url: str, status: int = 200, **kw: Any) -> HTMLResponse:
    return render(request, "login.html", None, status_code=status, purposes=purpose_choices(), next_url=next_url, **kw)


@router.get("/inloggen")
def login_page(request: Request, volgende: str | None = None) -> HTMLResponse:
    return _form(request, _safe_next(volgende))


@router.post("/inloggen")
def login(
    request: Request,
    gebruiker: Annotated[str, Form()],
    wachtwoord: Annotated[str, Form()],
    doel: Annotated[str, Form()] = "",
    volgende: Annotated[str, Form()] = "/overzicht",
) -> Response:
    store = store_of(request)
    next_url = _safe_next(volgende)
    user = auth.authenticate(store, gebruiker, wachtwoord)
    if user is None:
        audit.record(None, "inloggen", f"user:{gebruiker}", "web:/inloggen", "geweigerd")
        return _form(request, next_url, 401, error="Gebruikersnaam of wachtwoord klopt niet.", username=gebruiker,
                     purpose=doel)
    choices = auth.purposes_for(user.role)
    if doel not in choices:
        names = ", ".join(PURPOSE_TEXT.get(p, p) for p in choices)
        return _form(request, next_url, 403, username=gebruiker,
                     error=f"Het gekozen doel past niet bij uw rol ({user.role}). Kies uit: {names}.")
    sid, _ = auth.create_session(store, gebruiker, doel)
    response = RedirectResponse(next_url, status_code=303)
    settings = request.app.state.settings
    response.set_cookie(value=sid, **auth.cookie_params(secure=settings.cookie_secure, hours=settings.session_hours))
    return response


@router.post("/uitloggen")
def logout(request: Request, viewer: Annotated[Viewer, Depends(verify_csrf)]) -> Response:
    auth.end_session(store_of(request), viewer.session_id)
    response = RedirectResponse("/inloggen", status_code=303)
    response.delete_cookie(auth.COOKIE_NAME, path="/")
    return response
