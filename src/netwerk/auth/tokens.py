"""API bearer tokens: random, shown once, stored only as a SHA-256 hash, expiring and revocable."""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

from netwerk import audit
from netwerk.access import Actor
from netwerk.auth.clock import iso, now, parse
from netwerk.auth.errors import NotAuthenticated
from netwerk.store.base import GraphStore, StoreError

__all__ = ["TokenInfo", "cached_token_actor", "create_token", "list_tokens", "parse_duration", "revoke_tokens",
           "token_actor"]

PREFIX = "nw_"
_DURATION = re.compile(r"^\s*(\d+)\s*([dhwm]?)\s*$")
_UNIT = {"": 1.0, "d": 1.0, "h": 1 / 24, "w": 7.0, "m": 30.0}


@dataclass(frozen=True)
class TokenInfo:
    """A stored token (never the token itself): ``id`` is the first 12 characters of its hash."""

    id: str
    user: str
    created_at: str
    expires_at: str
    revoked_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "user": self.user, "created_at": self.created_at, "expires_at": self.expires_at,
                "revoked_at": self.revoked_at}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_duration(text: str) -> timedelta:
    """``30d``, ``12h``, ``2w``, ``3m`` (30 days) or a number of days, at most 366 days."""
    m = _DURATION.match(text or "")
    if not m or int(m.group(1)) == 0:
        raise ValueError(f"ongeldige geldigheidsduur {text!r}: gebruik bijvoorbeeld 30d, 12h, 2w of 3m")
    days = int(m.group(1)) * _UNIT[m.group(2)]
    if days > 366:
        raise ValueError(f"geldigheidsduur {text!r} is te lang: hoogstens 366 dagen")
    return timedelta(days=days)


def _info(node: dict[str, Any]) -> TokenInfo:
    return TokenInfo(str(node["token_id"])[:12], str(node["user_id"]), str(node["created_at"]),
                     str(node["expires_at"]), node.get("revoked_at"))


def create_token(
    store: GraphStore, name: str, valid: timedelta = timedelta(days=30), *, by: Actor | None = None
) -> tuple[str, TokenInfo]:
    """A new token for user ``name``: ``(token, info)``. The token is not stored and cannot be shown again."""
    user = store.get_node("User", name)
    if user is None:
        raise StoreError(f"gebruiker {name!r} bestaat niet (zie `netwerk gebruiker list`)")
    if not user.get("active"):
        raise ValueError(f"gebruiker {name!r} is uitgeschakeld")
    token = PREFIX + secrets.token_urlsafe(32)
    start = now()
    node = {"token_id": _hash(token), "user_id": name, "created_at": iso(start), "expires_at": iso(start + valid)}
    store.upsert_nodes("ApiToken", [node])
    info = _info(node)
    audit.record(by, "token-aanmaken", f"user:{name}", "token create", detail=f"token {info.id} tot {info.expires_at}")
    return token, info


def list_tokens(store: GraphStore, name: str | None = None) -> list[TokenInfo]:
    """Stored tokens (of one user), oldest first."""
    df = store.nodes_df("ApiToken")
    if name is not None:
        df = df[df["user_id"] == name]
    return sorted((_info(r) for r in df.to_dict("records")), key=lambda t: (t.created_at, t.id))


def revoke_tokens(store: GraphStore, name: str, token_id: str | None = None, *, by: Actor | None = None) -> int:
    """Revoke every live token of ``name`` (or the one whose id starts with ``token_id``); returns how many."""
    df = store.nodes_df("ApiToken")
    df = df[(df["user_id"] == name) & df["revoked_at"].isna()]
    if token_id:
        df = df[df["token_id"].str.startswith(token_id)]
    at = iso(now())
    rows = [{"token_id": t, "revoked_at": at} for t in df["token_id"]]
    if rows:
        store.upsert_nodes("ApiToken", rows)
    audit.record(by, "token-intrekken", f"user:{name}", "token revoke", n=len(rows),
                 detail=f"token {token_id}" if token_id else "alle tokens")
    return len(rows)


#: token hash -> (store version, read at, user, role, expires_at)
_SEEN: dict[str, tuple[Hashable, float, str, str, str]] = {}
#: at most this many seconds before a revocation by another process is seen on a store without a change
#: counter (Neo4j); the embedded store and writes through this process are seen at once
RECHECK_S = 5.0


#: token hash -> when one request began to re-read it after RECHECK_S (the others use the last answer meanwhile)
_REREAD: dict[str, float] = {}


def _fresh(store: GraphStore, digest: str, *, while_reread: bool = False) -> tuple[str, str, str] | None:
    """(user, role, expires_at) of a token seen valid since the last write and within ``RECHECK_S``.

    ``while_reread``: also the last answer while another request re-reads the token (at most another
    ``RECHECK_S``), so that the requests of a busy client do not all read the store at once.
    """
    hit = _SEEN.get(digest)
    if hit is None or hit[0] != (id(store), store.version()):
        return None
    now_s = time.monotonic()
    if now_s - hit[1] < RECHECK_S or (while_reread and now_s - _REREAD.get(digest, -RECHECK_S) < RECHECK_S):
        return hit[2:]
    return None


def _lookup(store: GraphStore, digest: str) -> tuple[str, str, str]:
    """(user, role, expires_at) of a live token hash; :class:`NotAuthenticated` otherwise."""
    found = _fresh(store, digest)
    if found is not None:
        return found
    version = (id(store), store.version())
    try:
        node = store.get_node("ApiToken", digest)
        if node is None:
            raise NotAuthenticated("onbekend token")
        if node.get("revoked_at"):
            raise NotAuthenticated("dit token is ingetrokken")
        user = store.get_node("User", str(node["user_id"]))
        if user is None or not user.get("active"):
            raise NotAuthenticated("de gebruiker van dit token is uitgeschakeld")
    except NotAuthenticated:
        _SEEN.pop(digest, None)
        raise
    finally:
        _REREAD.pop(digest, None)
    if len(_SEEN) > 10_000:
        _SEEN.clear()
    found = (str(user["user_id"]), str(user["role"]), str(node.get("expires_at") or ""))
    _SEEN[digest] = (version, time.monotonic(), *found)
    return found


def _actor(found: tuple[str, str, str], purpose: str | None) -> Actor:
    user, role, expires_at = found
    expires = _parse_expiry(expires_at)
    if expires is None or expires <= now():
        raise NotAuthenticated("dit token is verlopen; maak een nieuw token met `netwerk token create`")
    return _actor_of(user, role, purpose)


_parse_expiry = lru_cache(maxsize=4096)(parse)


@lru_cache(maxsize=4096)
def _actor_of(user: str, role: str, purpose: str | None) -> Actor:
    """Actors are immutable and the roles table is fixed per process: one object per user, role and purpose."""
    return Actor.of(user, role, purpose, via="token")


def cached_token_actor(store: GraphStore, token: str, purpose: str | None) -> Actor | None:
    """:func:`token_actor` without reading the store: None unless the token was seen valid recently.

    Past ``RECHECK_S`` the first request gets None (it re-reads the token in :func:`token_actor`)."""
    digest = _hash(token)
    found = _fresh(store, digest, while_reread=True)
    if found is None:
        if digest in _SEEN and digest not in _REREAD:
            _REREAD[digest] = time.monotonic()
        return None
    try:
        return _actor(found, purpose) if found is not None else None
    except NotAuthenticated:
        return None


def token_actor(store: GraphStore, token: str, purpose: str | None) -> Actor:
    """The actor of a bearer token with the request's purpose; :class:`NotAuthenticated` when not valid."""
    if not token or not token.startswith(PREFIX) or len(token) > 200:
        raise NotAuthenticated("ongeldig token")
    return _actor(_lookup(store, _hash(token)), purpose)
