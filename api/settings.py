"""The API's settings are the one :class:`netwerk.settings.Settings` (kept here for old imports)."""

from __future__ import annotations

from netwerk.settings import Settings

__all__ = ["Settings"]
