"""Access scoped by role and purpose (AVG: purpose limitation and need-to-know).

Each role may use only the analyses its work needs, and person-level results only for a stated
purpose. The acting role and purpose come from ``NETWERK_ROLE``/``NETWERK_PURPOSE`` (CLI) or the
``X-Netwerk-Role``/``X-Netwerk-Purpose`` headers (API); every person-level read is audited with them.
"""

from __future__ import annotations

from typing import Final

__all__ = ["PURPOSES", "ROLES", "AccessDenied", "check_access"]

#: role → resources it may use
ROLES: Final[dict[str, frozenset[str]]] = {
    "coordinator_jeugd": frozenset({"stats", "hotspots", "groups", "cases", "agenda"}),
    "veiligheidsadviseur": frozenset({"stats", "hotspots", "indicators", "review", "cases", "agenda", "fenomeen"}),
    "analist": frozenset(
        {"stats", "hotspots", "groups", "indicators", "review", "cases", "agenda", "fenomeen", "ingest", "schema"}
    ),
    "beheerder": frozenset({"stats", "ingest", "schema"}),
}

#: purpose → resources with person-level output it covers
PURPOSES: Final[dict[str, frozenset[str]]] = {
    "risicojongeren-overleg": frozenset({"groups", "cases", "agenda"}),
    "ondermijningsanalyse": frozenset({"indicators", "review", "cases"}),
    "overlastaanpak": frozenset({"hotspots", "fenomeen", "cases", "agenda"}),
    "casusoverleg": frozenset({"cases", "agenda"}),
    "analyse": frozenset({"hotspots", "groups", "indicators", "review", "cases", "agenda", "fenomeen"}),
    "beheer": frozenset({"stats", "ingest", "schema"}),
}

#: resources whose output holds no person-level data: no purpose needed
_AGGREGATE = frozenset({"stats", "hotspots", "fenomeen", "schema", "ingest"})


class AccessDenied(PermissionError):
    """The role or purpose does not allow this use (message in Dutch)."""


def check_access(role: str, purpose: str, resource: str) -> None:
    """Raise :class:`AccessDenied` unless ``role`` may use ``resource`` for ``purpose``."""
    allowed = ROLES.get(role)
    if allowed is None:
        raise AccessDenied(f"onbekende rol {role!r}; rollen: {', '.join(sorted(ROLES))}")
    if resource not in allowed:
        raise AccessDenied(f"de rol {role!r} heeft geen toegang tot {resource!r}")
    if resource in _AGGREGATE:
        return
    covered = PURPOSES.get(purpose)
    if covered is None:
        raise AccessDenied(f"onbekend doel {purpose!r}; doelen: {', '.join(sorted(PURPOSES))}")
    if resource not in covered:
        raise AccessDenied(f"het doel {purpose!r} rechtvaardigt geen gebruik van {resource!r}")
