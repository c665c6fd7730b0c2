"""Web sessions: an opaque cookie (HttpOnly, Secure, SameSite=Strict) plus a CSRF token per session.

The session id travels only in the cookie and is stored as a SHA-256 hash (``Session`` nodes). The
CSRF token is derived from the session id (HMAC), so a page can embed it in forms and
:func:`check_csrf` compares it in constant time; a cross-site form cannot know it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from netwerk import audit
from netwerk.access import AccessDenied, Actor, policy
from netwerk.auth.clock import iso, later, now, parse
from netwerk.auth.errors import CsrfRefused, NotAuthenticated
from netwerk.auth.users import authenticate
from netwerk.store.base import GraphStore

__all__ = [
    "COOKIE_NAME",
    "check_csrf",
    "cookie_params",
    "create_session",
    "end_session",
    "login",
    "session_actor",
    "session_csrf",
]

COOKIE_NAME = "netwerk_sessie"


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


def session_csrf(store: GraphStore, session_id: str) -> str:
    """The CSRF token of a session (to embed in forms as ``csrf_token``)."""
    return hmac.new(session_id.encode("utf-8"), b"netwerk-csrf", hashlib.sha256).hexdigest()


def cookie_params(secure: bool = True, hours: int = 8) -> dict[str, Any]:
    """Keyword arguments for ``Response.set_cookie`` (HttpOnly, Secure, SameSite=Strict)."""
    return {"key": COOKIE_NAME, "httponly": True, "secure": secure, "samesite": "strict", "path": "/",
            "max_age": hours * 3600}


def create_session(store: GraphStore, name: str, purpose: str, hours: int = 8) -> tuple[str, str]:
    """A session for an (authenticated, active) user with one purpose: ``(session_id, csrf_token)``."""
    user = store.get_node("User", name)
    if user is None or not user.get("active"):
        raise NotAuthenticated(f"gebruiker {name!r} bestaat niet of is uitgeschakeld")
    role = policy().roles.get(str(user["role"]))
    if role is None or purpose not in role.purposes:
        raise AccessDenied(f"het doel {purpose!r} past niet bij de rol {user['role']!r}")
    sid = secrets.token_urlsafe(32)
    csrf = session_csrf(store, sid)
    store.upsert_nodes("Session", [{"session_id": _hash(sid), "user_id": name, "purpose": purpose,
                                    "csrf_hash": _hash(csrf), "created_at": iso(now()),
                                    "expires_at": later(hours=hours)}])
    actor = Actor.of(name, str(user["role"]), purpose, via="sessie")
    audit.record(actor, "inloggen", f"user:{name}", "sessie")
    return sid, csrf


def login(store: GraphStore, name: str, password: str, purpose: str, hours: int = 8) -> tuple[str, str]:
    """Check name and password, then :func:`create_session`; refusals are audited."""
    if authenticate(store, name, password) is None:
        audit.record(None, "inloggen", f"user:{name}", "sessie", "geweigerd")
        raise NotAuthenticated("onbekende gebruiker of onjuist wachtwoord")
    return create_session(store, name, purpose, hours)


def session_actor(store: GraphStore, session_id: str | None) -> Actor | None:
    """The actor of a live session (user active, not expired, not ended), else None."""
    if not session_id or len(session_id) > 200:
        return None
    node = store.get_node("Session", _hash(session_id))
    if node is None or node.get("revoked_at"):
        return None
    expires = parse(node.get("expires_at"))
    if expires is None or expires <= now():
        return None
    user = store.get_node("User", str(node["user_id"]))
    if user is None or not user.get("active"):
        return None
    return Actor.of(str(user["user_id"]), str(user["role"]), str(node["purpose"]), via="sessie")


def check_csrf(store: GraphStore, session_id: str | None, token: str | None) -> None:
    """Refuse (:class:`CsrfRefused`) a state-changing request without the session's CSRF token."""
    if not session_id or not token or not hmac.compare_digest(session_csrf(store, session_id), token):
        raise CsrfRefused("verzoek geweigerd: het CSRF-token ontbreekt of klopt niet (laad de pagina opnieuw)")


def end_session(store: GraphStore, session_id: str | None) -> None:
    """Log out: the session stops working."""
    if not session_id:
        return
    node = store.get_node("Session", _hash(session_id))
    if node is not None:
        store.upsert_nodes("Session", [{"session_id": _hash(session_id), "revoked_at": iso(now())}])
