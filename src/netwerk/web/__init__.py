"""The web application: server-rendered Dutch pages with small JavaScript islands, on the service layer.

``netwerk serve`` runs :func:`netwerk.web.app.create_app`: the API of ``api.main`` plus the pages
(Inloggen, Overzicht, Kaart, Jeugdnetwerk, Ondermijning, Verkennen, Casussen, Beheer) and their assets.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def create_app(*args: Any, **kwargs: Any) -> Any:
    """See :func:`netwerk.web.app.create_app` (imported lazily: the CLI should not load FastAPI)."""
    from netwerk.web.app import create_app as build

    return build(*args, **kwargs)
