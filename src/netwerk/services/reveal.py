"""Use case: reveal one person from the identity vault (entitled role+purpose, a reason, audited)."""

from __future__ import annotations

from typing import Any

from netwerk.access import Actor
from netwerk.auth.vault import Vault
from netwerk.services.scope import scope
from netwerk.store.base import GraphStore

__all__ = ["reveal"]


def reveal(store: GraphStore, vault: Vault, actor: Actor, person_id: str, reason: str, *,
           endpoint: str = "bibliotheek") -> dict[str, Any]:
    """The identity behind a pseudonym; refused (and audited) unless role, purpose, domain and reason allow."""
    return vault.reveal(actor, person_id, reason, endpoint, scope(store).person_visible(actor, person_id))
