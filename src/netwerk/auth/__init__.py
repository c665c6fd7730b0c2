"""Users, API tokens, web sessions with CSRF protection, the identity vault and retention.

Server-side only: roles come from the user store (``User`` nodes, on both store backends), never
from the caller. Public helpers (for the API, the web application and the CLI)::

    add_user(store, name, password, role)            -> UserInfo
    authenticate(store, name, password)              -> UserInfo | None
    create_token(store, name, days=30)               -> (token, TokenInfo)   # token shown once
    token_actor(store, token, purpose)               -> Actor   (NotAuthenticated → 401)
    create_session(store, name, purpose)             -> (session_id, csrf_token)
    session_actor(store, session_id)                 -> Actor | None
    session_csrf(store, session_id)                  -> str
    check_csrf(store, session_id, token)             -> None    (CsrfRefused → 403)
    end_session(store, session_id)

Every change to users, tokens and sessions is written to the audit log (:mod:`netwerk.audit`).
"""

from __future__ import annotations

from netwerk.auth.errors import CsrfRefused, NotAuthenticated
from netwerk.auth.sessions import (
    COOKIE_NAME,
    check_csrf,
    cookie_params,
    create_session,
    end_session,
    login,
    session_actor,
    session_csrf,
)
from netwerk.auth.tokens import (
    cached_token_actor,
    create_token,
    list_tokens,
    parse_duration,
    revoke_tokens,
    token_actor,
)
from netwerk.auth.users import (
    UserInfo,
    add_user,
    authenticate,
    disable_user,
    get_user,
    list_users,
    purposes_for,
    reset_user,
)

__all__ = [
    "COOKIE_NAME",
    "CsrfRefused",
    "NotAuthenticated",
    "UserInfo",
    "add_user",
    "authenticate",
    "cached_token_actor",
    "check_csrf",
    "cookie_params",
    "create_session",
    "create_token",
    "disable_user",
    "end_session",
    "get_user",
    "list_tokens",
    "list_users",
    "login",
    "parse_duration",
    "purposes_for",
    "reset_user",
    "revoke_tokens",
    "session_actor",
    "session_csrf",
    "token_actor",
]
