"""Validation of user-given dates (Dutch messages; HTTP 422 at the API)."""

from __future__ import annotations

from datetime import date

__all__ = ["check_date"]

_MIN, _MAX = date(1900, 1, 1), date(2200, 12, 31)


def check_date(value: str | None, name: str = "datum") -> str | None:
    """``value`` as ``JJJJ-MM-DD`` between 1900 and 2200, None when absent; ValueError otherwise."""
    if value is None:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{name} {value!r} is geen geldige datum (gebruik JJJJ-MM-DD)") from None
    if not _MIN <= day <= _MAX:
        raise ValueError(f"{name} {value!r} ligt buiten 1900-01-01 … 2200-12-31")
    return day.isoformat()
