"""Access by role, purpose and domain (AVG: purpose limitation and need-to-know).

Roles, purposes, the resources each opens and the domains each may see are data:
``src/netwerk/data/rollen.yaml`` (see docs/beveiliging.md). The role of a caller comes only from the
server (the user store); the purpose is stated per request or session. An :class:`Actor` is the
acting user with role, purpose and the domains role ∩ purpose open; services receive it explicitly.

A resource is allowed when the role has it, the role may use the purpose and the purpose covers
the resource; resources without person-level output (``aggregaat``) need no purpose. On top of that
every datum (person, group member, indicator flag, signal, case) is shown only when its domain is
among :attr:`Actor.domains` (scope by datum, applied in the services).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import yaml

__all__ = [
    "PURPOSES",
    "ROLES",
    "AccessDenied",
    "Actor",
    "Policy",
    "check_access",
    "load_policy",
    "policy",
]

ROLLEN_FILE: Final = Path(__file__).resolve().parent / "data" / "rollen.yaml"


class AccessDenied(PermissionError):
    """The role or purpose does not allow this use (message in Dutch)."""


@dataclass(frozen=True)
class Role:
    name: str
    description: str
    purposes: frozenset[str]
    resources: frozenset[str]
    domains: frozenset[str]


@dataclass(frozen=True)
class Purpose:
    name: str
    resources: frozenset[str]
    domains: frozenset[str]


@dataclass(frozen=True)
class Policy:
    """The roles/purposes table (``rollen.yaml``)."""

    roles: Mapping[str, Role]
    purposes: Mapping[str, Purpose]
    aggregate: frozenset[str]
    domains: tuple[str, ...]

    def check(self, role: str, purpose: str | None, resource: str) -> frozenset[str]:
        """Raise :class:`AccessDenied` unless allowed; returns the domains role ∩ purpose open."""
        r = self.roles.get(role)
        if r is None:
            raise AccessDenied(f"onbekende rol {role!r}; rollen: {', '.join(sorted(self.roles))}")
        if resource not in r.resources:
            raise AccessDenied(f"de rol {role!r} heeft geen toegang tot {resource!r}")
        if not purpose:
            if resource in self.aggregate:
                return frozenset()
            raise AccessDenied(
                f"geef een doel op voor {resource!r}; doelen van {role!r}: {', '.join(sorted(r.purposes))}"
            )
        p = self.purposes.get(purpose)
        if p is None:
            if resource in self.aggregate:
                return frozenset()
            raise AccessDenied(f"onbekend doel {purpose!r}; doelen: {', '.join(sorted(self.purposes))}")
        if purpose not in r.purposes:
            if resource in self.aggregate:
                return frozenset()
            raise AccessDenied(f"de rol {role!r} mag het doel {purpose!r} niet gebruiken")
        if resource not in p.resources and resource not in self.aggregate:
            raise AccessDenied(f"het doel {purpose!r} rechtvaardigt geen gebruik van {resource!r}")
        return r.domains & p.domains

    def domains_of(self, role: str, purpose: str | None) -> frozenset[str]:
        """The domains a role sees for a purpose (empty when the purpose is not the role's)."""
        r, p = self.roles.get(role), self.purposes.get(purpose or "")
        if r is None or p is None or p.name not in r.purposes:
            return frozenset()
        return r.domains & p.domains


def _set(value: Any) -> frozenset[str]:
    return frozenset(str(v) for v in (value or ()))


def load_policy(path: str | Path = ROLLEN_FILE) -> Policy:
    """Read a roles/purposes table (YAML); unknown purposes or domains named by a role are an error."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    domains = tuple(str(d) for d in raw.get("domeinen") or ())
    purposes = {
        str(n): Purpose(str(n), _set(d.get("bronnen")), _set(d.get("domeinen")))
        for n, d in (raw.get("doelen") or {}).items()
    }
    roles = {
        str(n): Role(str(n), str(d.get("omschrijving") or ""), _set(d.get("doelen")), _set(d.get("bronnen")),
                     _set(d.get("domeinen")))
        for n, d in (raw.get("rollen") or {}).items()
    }
    for r in roles.values():
        if bad := sorted(r.purposes - purposes.keys()):
            raise ValueError(f"{path}: rol {r.name!r} noemt onbekende doelen {', '.join(bad)}")
        if bad := sorted(r.domains - set(domains)):
            raise ValueError(f"{path}: rol {r.name!r} noemt onbekende domeinen {', '.join(bad)}")
    for p in purposes.values():
        if bad := sorted(p.domains - set(domains)):
            raise ValueError(f"{path}: doel {p.name!r} noemt onbekende domeinen {', '.join(bad)}")
    return Policy(roles, purposes, _set(raw.get("aggregaat")), domains)


@lru_cache(maxsize=1)
def policy() -> Policy:
    """The built-in roles/purposes table."""
    return load_policy()


#: role → resources it may use (from rollen.yaml)
ROLES: Final[dict[str, frozenset[str]]] = {n: r.resources for n, r in policy().roles.items()}
#: purpose → resources it covers (from rollen.yaml)
PURPOSES: Final[dict[str, frozenset[str]]] = {n: p.resources for n, p in policy().purposes.items()}


def check_access(role: str, purpose: str | None, resource: str) -> None:
    """Raise :class:`AccessDenied` unless ``role`` may use ``resource`` for ``purpose``."""
    policy().check(role, purpose, resource)


@dataclass(frozen=True)
class Actor:
    """The acting user: who (user), in which role (from the server), for which purpose, via what.

    ``domains`` are the domains role ∩ purpose open; data of other domains is never shown to this
    actor. Build one with :meth:`of`; pass it explicitly to every service call.
    """

    user: str
    role: str
    purpose: str | None = None
    via: str = "cli"  #: cli, token, sessie or lokaal
    domains: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, user: str, role: str, purpose: str | None = None, via: str = "cli") -> Actor:
        """An actor with the domains its role and purpose open."""
        return cls(user, role, purpose or None, via, policy().domains_of(role, purpose))

    def check(self, resource: str) -> None:
        """Raise :class:`AccessDenied` unless this actor may use ``resource``."""
        policy().check(self.role, self.purpose, resource)

    def may(self, resource: str) -> bool:
        try:
            self.check(resource)
        except AccessDenied:
            return False
        return True

    def sees(self, domains: frozenset[str] | set[str] | None) -> bool:
        """True when any of a datum's domains is open to this actor."""
        return bool(domains and self.domains & domains)
