"""Users kept server-side (``User`` nodes, both backends) with argon2id password hashes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from netwerk import audit
from netwerk.access import Actor, policy
from netwerk.auth.clock import iso, now
from netwerk.store.base import GraphStore, StoreError

__all__ = [
    "MIN_PASSWORD",
    "UserInfo",
    "add_user",
    "authenticate",
    "disable_user",
    "get_user",
    "list_users",
    "purposes_for",
    "reset_user",
]

MIN_PASSWORD = 12
_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY = _HASHER.hash("niet-bestaande-gebruiker")


@dataclass(frozen=True)
class UserInfo:
    """A user as shown to administrators (never the password hash)."""

    name: str
    role: str
    active: bool
    created_at: str | None
    updated_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "active": self.active,
                "created_at": self.created_at, "updated_at": self.updated_at}


def _info(node: dict[str, Any]) -> UserInfo:
    return UserInfo(str(node["user_id"]), str(node.get("role") or ""), bool(node.get("active")),
                    node.get("created_at"), node.get("updated_at"))


def _check_role(role: str) -> None:
    if role not in policy().roles:
        raise ValueError(f"onbekende rol {role!r}; rollen: {', '.join(sorted(policy().roles))}")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"het wachtwoord moet minstens {MIN_PASSWORD} tekens hebben")


def _check_name(name: str) -> None:
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-@" for c in name):
        raise ValueError(f"ongeldige gebruikersnaam {name!r}: letters, cijfers en . _ - @ (hoogstens 64)")


def _who(by: Actor | None) -> str:
    return by.user if by else (audit.current_context()["user"])


def get_user(store: GraphStore, name: str) -> UserInfo | None:
    """The user called ``name``, or None."""
    node = store.get_node("User", name)
    return _info(node) if node else None


def list_users(store: GraphStore) -> list[UserInfo]:
    """All users, by name."""
    return [_info(r) for r in store.nodes_df("User").to_dict("records")]


def add_user(store: GraphStore, name: str, password: str, role: str, *, by: Actor | None = None) -> UserInfo:
    """Create a user; a ValueError (Dutch) when the name exists, the role is unknown or the password short."""
    _check_name(name)
    _check_role(role)
    _check_password(password)
    if store.get_node("User", name) is not None:
        raise ValueError(f"gebruiker {name!r} bestaat al (gebruik `netwerk gebruiker reset`)")
    at = iso(now())
    store.upsert_nodes("User", [{"user_id": name, "role": role, "password_hash": _HASHER.hash(password),
                                 "active": True, "created_at": at, "updated_at": at, "updated_by": _who(by)}])
    audit.record(by, "gebruiker-toevoegen", f"user:{name}", "gebruiker add", detail=f"rol {role}")
    return get_user(store, name)  # type: ignore[return-value]


def _existing(store: GraphStore, name: str) -> dict[str, Any]:
    node = store.get_node("User", name)
    if node is None:
        raise StoreError(f"gebruiker {name!r} bestaat niet (zie `netwerk gebruiker list`)")
    return node


def disable_user(store: GraphStore, name: str, *, by: Actor | None = None) -> UserInfo:
    """Disable a user: password, tokens and sessions stop working at once."""
    _existing(store, name)
    store.upsert_nodes("User", [{"user_id": name, "active": False, "updated_at": iso(now()), "updated_by": _who(by)}])
    audit.record(by, "gebruiker-uitschakelen", f"user:{name}", "gebruiker disable")
    return get_user(store, name)  # type: ignore[return-value]


def reset_user(
    store: GraphStore, name: str, password: str | None = None, role: str | None = None, *, by: Actor | None = None
) -> UserInfo:
    """Set a new password and/or role and enable the user again."""
    _existing(store, name)
    row: dict[str, Any] = {"user_id": name, "active": True, "updated_at": iso(now()), "updated_by": _who(by)}
    if role is not None:
        _check_role(role)
        row["role"] = role
    if password is not None:
        _check_password(password)
        row["password_hash"] = _HASHER.hash(password)
    store.upsert_nodes("User", [row])
    audit.record(by, "gebruiker-herstellen", f"user:{name}", "gebruiker reset",
                 detail=", ".join(x for x in ("wachtwoord" if password else "", f"rol {role}" if role else "") if x))
    return get_user(store, name)  # type: ignore[return-value]


def authenticate(store: GraphStore, name: str, password: str) -> UserInfo | None:
    """The active user when name and password are right, else None (same work for unknown names)."""
    node = store.get_node("User", name) if name else None
    digest = str(node.get("password_hash") or _DUMMY) if node else _DUMMY
    try:
        ok = _HASHER.verify(digest, password) and node is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok or node is None or not node.get("active"):
        return None
    if _HASHER.check_needs_rehash(digest):
        store.upsert_nodes("User", [{"user_id": name, "password_hash": _HASHER.hash(password)}])
    return _info(node)


def purposes_for(role: str) -> list[str]:
    """The purposes a role may choose (from rollen.yaml), in table order."""
    r = policy().roles.get(role)
    return [p for p in policy().purposes if r is not None and p in r.purposes]
