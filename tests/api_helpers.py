"""Shared helpers of the API/security tests: a private copy of the town store with one user per role."""

from __future__ import annotations

import shutil
from pathlib import Path

from netwerk.auth import add_user, create_token
from netwerk.store import GraphStore
from netwerk.store.embedded import EmbeddedStore

PASSWORD = "een-lang-testwachtwoord"
#: role → a purpose it may use for person-level routes
PURPOSE_OF = {
    "analist": "analyse",
    "coordinator_jeugd": "risicojongeren-overleg",
    "veiligheidsadviseur": "ondermijningsanalyse",
    "privacy_officer": "privacytoezicht",
    "beheerder": "beheer",
}


def copy_store(src: Path, dst: Path) -> EmbeddedStore:
    """A private copy of an embedded store (tests may add users and reviews to it)."""
    shutil.copytree(src, dst)
    return EmbeddedStore(dst)


def users_with_tokens(store: GraphStore) -> dict[str, str]:
    """One user per role (named after it) with a fresh token: role → token."""
    tokens = {}
    for role in PURPOSE_OF:
        add_user(store, role, PASSWORD, role)
        tokens[role] = create_token(store, role)[0]
    return tokens


def headers(token: str, purpose: str | None = None) -> dict[str, str]:
    h = {"Authorization": f"Bearer {token}"}
    if purpose:
        h["X-Netwerk-Purpose"] = purpose
    return h
