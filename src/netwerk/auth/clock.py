"""Time stamps of the security layer: naive UTC ISO strings (the model's ``datetime`` type)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["iso", "now", "parse"]


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def parse(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


def later(days: float = 0, hours: float = 0) -> str:
    return iso(now() + timedelta(days=days, hours=hours))
