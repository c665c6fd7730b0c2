"""Which page needs which right, and the session helpers the pages use.

Users, sessions, CSRF tokens and the role/purpose matrix are those of the security layer
(:mod:`netwerk.auth`, :mod:`netwerk.access`, ``rollen.yaml``): the web adds no rules of its own. A page
opens when the actor may use its resource, exactly as the API route with the same data would.
"""

from __future__ import annotations

from netwerk.access import Actor, policy

__all__ = ["PAGES", "PURPOSE_TEXT", "allowed", "purpose_choices"]

#: page id → (Dutch title, resource in rollen.yaml)
PAGES: dict[str, tuple[str, str]] = {
    "overzicht": ("Overzicht", "stats"),
    "kaart": ("Kaart", "hotspots"),
    "jeugdnetwerk": ("Jeugdnetwerk", "groups"),
    "ondermijning": ("Ondermijning", "indicators"),
    "verkennen": ("Verkennen", "network"),
    "casussen": ("Casussen", "cases"),
    "monitoring": ("Monitoring", "monitor"),
    "beheer": ("Beheer", "users"),
}

#: Dutch names of the purposes (doelbinding) for the login form and the header.
PURPOSE_TEXT = {
    "risicojongeren-overleg": "Risicojongerenoverleg",
    "ondermijningsanalyse": "Ondermijningsanalyse",
    "overlastaanpak": "Overlastaanpak",
    "casusoverleg": "Casusoverleg",
    "analyse": "Analyse (gepseudonimiseerd)",
    "privacytoezicht": "Privacytoezicht",
    "beheer": "Beheer",
}


def purpose_choices() -> list[tuple[str, str]]:
    """Every purpose of the table with its Dutch name (the login form; the role then narrows it)."""
    return [(p, PURPOSE_TEXT.get(p, p)) for p in policy().purposes]


def allowed(actor: Actor, page: str) -> bool:
    """May this actor open this page (and read its data)?"""
    return actor.may(PAGES[page][1] if page in PAGES else page)
