"""The pages of the web application, one module per page (each with an ``APIRouter`` named ``router``)."""

from __future__ import annotations

from netwerk.web.pages import (
    beheer,
    casussen,
    inloggen,
    jeugdnetwerk,
    kaart,
    monitoring,
    ondermijning,
    overzicht,
    verkennen,
)

__all__ = ["PAGE_MODULES"]

PAGE_MODULES = (inloggen, overzicht, kaart, jeugdnetwerk, ondermijning, verkennen, casussen, monitoring, beheer)
